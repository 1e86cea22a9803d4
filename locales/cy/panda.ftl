# Negeseuon PANDA, yn Gymraeg.
#
# Mae pob dynodydd neges yn god sefydlog y mae PANDA hefyd yn ei anfon fel `code`; gall y testun newid, ond ni fydd y dynodydd byth yn newid.
# Gwerth problem yw ei `detail`; ei phriodoledd `.title` yw ei `title`.
# Gwerth cod maes yw'r neges ar gyfer un maes; mae `$field` yn enwi'r maes neu'r paramedr ymholiad.

## Problemau: un i bob ymateb

route-not-found = Nid oes dim ar gael yn { $path }. Gweler /openapi.json am bob llwybr.
    .title = Heb ei ganfod
method-not-allowed = Nid yw { $path } yn derbyn { $method }; mae'n derbyn { $allow }.
    .title = Dull heb ei ganiatáu
malformed-json = Nid yw corff y cais yn JSON dilys (daeth y dosrannu i ben ar linell { $line }, colofn { $column }).
    .title = JSON wedi'i gamffurfio
payload-too-large = Mae corff y cais yn fwy na'r terfyn o { $limit } beit.
    .title = Cynnwys yn rhy fawr
unsupported-media-type = Anfonwch gorff y cais fel { $expected }, gyda phennawd Content-Type cyfatebol.
    .title = Math o gyfrwng heb ei gefnogi
validation-failed = { $count ->
        [zero] Mae { $count } maes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
        [one] Mae un maes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
        [two] Mae { $count } faes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
        [few] Mae { $count } maes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
        [many] Mae { $count } maes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
       *[other] Mae { $count } maes yn annilys; gweler errors am yr hyn sydd angen ei gywiro.
    }
    .title = Mewnbwn annilys
patient-not-found = Nid oes claf â rhif GIG { $nhs_number }.
    .title = Claf heb ei ganfod
appointment-not-found = Nid oes apwyntiad â'r dynodydd { $id }.
    .title = Apwyntiad heb ei ganfod
patient-exists = Mae claf â rhif GIG { $nhs_number } yn bodoli eisoes.
    .title = Claf yn bodoli eisoes
appointment-exists = Mae apwyntiad â'r dynodydd { $id } yn bodoli eisoes.
    .title = Apwyntiad yn bodoli eisoes
appointment-cancelled = Cafodd yr apwyntiad hwn ei ganslo. Ni fydd apwyntiad sydd wedi'i ganslo byth yn cael ei adfer na'i newid; trefnwch un newydd yn lle hynny.
    .title = Apwyntiad wedi'i ganslo
appointment-attended = Mae'r apwyntiad hwn wedi'i fynychu ac ni ellir ei newid mwyach.
    .title = Apwyntiad wedi'i fynychu
appointment-missed = Cafodd yr apwyntiad hwn ei golli (daeth i ben heb iddo gael ei fynychu) ac ni ellir ei newid mwyach; trefnwch un newydd yn lle hynny.
    .title = Apwyntiad wedi'i golli
appointment-active = Mae'r apwyntiad hwn yn dal yn weithredol.
    .title = Apwyntiad gweithredol
status-change-not-allowed = Ni ellir newid statws apwyntiad gweithredol i { $to }: dim ond “attended” neu “cancelled” y gellir eu gosod; caiff “missed” ei osod yn awtomatig unwaith y bydd yr apwyntiad wedi dod i ben.
    .title = Ni chaniateir newid y statws
precondition-failed = Mae'r cofnod wedi newid ers i chi ei ddarllen (nid yw If-Match yn cyfateb i'w ETag cyfredol). Darllenwch ef eto a gwnewch eich newid unwaith eto.
    .title = Methodd y rhagamod
token-missing = Mewngofnodwch yn gyntaf: anfonwch y tocyn a gawsoch gan POST /v1/auth/token fel “Authorization: Bearer <token>”.
    .title = Mae angen dilysu
token-invalid = Nid yw'r tocyn yn ddilys (neu mae ei gyfrif wedi'i analluogi neu mae cyfrinair y cyfrif wedi newid). Mewngofnodwch eto.
    .title = Tocyn annilys
token-expired = Mae'r tocyn wedi dod i ben. Mewngofnodwch eto.
    .title = Tocyn wedi dod i ben
invalid-credentials = Mae'r enw defnyddiwr neu'r cyfrinair yn anghywir.
    .title = Methodd y mewngofnodi
account-locked = { $minutes ->
        [zero] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen { $minutes } munud.
        [one] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen munud.
        [two] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen { $minutes } funud.
        [few] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen { $minutes } munud.
        [many] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen { $minutes } munud.
       *[other] Gormod o ymdrechion aflwyddiannus i fewngofnodi. Mae'r cyfrif wedi'i gloi; rhowch gynnig arall ymhen { $minutes } munud.
    }
    .title = Cyfrif wedi'i gloi
auth-not-configured = Nid yw mewngofnodi wedi'i ffurfweddu ar y gweinydd hwn. Mae angen i weinyddwr osod cyfrinach tocynnau'r gweinydd.
    .title = Dilysu heb ei ffurfweddu
bookmark-invalid = Nid yw X-D1-Bookmark yn nod tudalen gan yr API hwn. Anfonwch un o ateb cynharach yn ôl, neu gadewch y pennawd allan.
    .title = Nod tudalen annilys
database-unavailable = Nid oedd modd cysylltu â'r gronfa ddata. Rhowch gynnig arall yn y man.
    .title = Nid yw'r gwasanaeth ar gael
internal-error = Aeth rhywbeth o'i le ar ein hochr ni. Mae wedi'i gofnodi; rhowch gynnig arall neu cysylltwch â'r tîm cymorth.
    .title = Gwall mewnol y gweinydd

## Problemau maes: un i bob maes annilys, wedi'u rhestru yn `errors` problem ddilysu

field-required = Mae { $field } yn ofynnol.
field-not-string = Rhaid i { $field } fod yn llinyn testun.
field-not-nullable = Ni ellir dileu { $field }; anfonwch werth newydd yn lle null.
field-read-only = Ni ellir newid { $field }.
field-unknown = Nid yw { $field } yn hysbys yma.
parameter-repeated = Cafodd { $field } ei roi fwy nag unwaith.
member-repeated = Mae { $field } yn ymddangos fwy nag unwaith yn y corff; anfonwch bob aelod unwaith.
body-not-object = Rhaid i gorff y cais fod yn wrthrych JSON.
nhs-number-format = Rhaid i { $field } fod yn rhif GIG o 10 digid (caniateir bylchau a chysylltnodau rhwng y digidau).
nhs-number-checksum = Nid yw { $field } yn rhif GIG dilys: nid yw ei ddigid gwirio yn cyfateb.
invalid-postcode = Nid yw { $field } yn god post yn y DU (er enghraifft SW1A 1AA).
text-empty = Ni all { $field } fod yn wag.
text-too-long = Rhaid i { $field } fod yn { $max } nod ar y mwyaf.
text-control-characters = Ni all { $field } gynnwys nodau rheoli na nodau cyfeiriad testun.
date-format = Rhaid i { $field } fod yn ddyddiad go iawn ar y ffurf YYYY-MM-DD.
date-in-future = Ni all { $field } fod yn y dyfodol.
date-too-early = Ni all { $field } fod cyn { $min }.
timestamp-format = Rhaid i { $field } fod yn ddyddiad ac amser RFC 3339 gyda gwrthbwyso cylchfa amser, er enghraifft 2026-12-01T09:30:00+00:00.
timestamp-missing-offset = Mae angen gwrthbwyso cylchfa amser ar { $field } (fel Z neu +01:00); mae amser heb wrthbwyso yn amwys.
timestamp-sub-second = Rhaid rhoi { $field } i'r eiliad gyfan, heb ffracsiynau o eiliad.
duration-format = Rhaid i { $field } fod yn gyfnod fel 15m, 1h, 1h30m, 90m neu PT1H30M.
duration-out-of-range = Rhaid i { $field } fod rhwng { $min } a { $max }.
status-unknown = Rhaid i { $field } fod yn un o active, attended, cancelled neu missed.
appointment-id-format = Rhaid i { $field } fod yn UUID, er enghraifft 343d31d4-5993-47ef-a468-7884a467ae80.
appointment-ends-in-past = Byddai { $field } yn gwneud i'r apwyntiad gweithredol hwn ddod i ben yn y gorffennol. I gofnodi'r hyn a ddigwyddodd, gosodwch y statws i “attended” neu “cancelled” yn lle hynny.
password-too-short = Rhaid i'r cyfrinair gynnwys o leiaf { $min } nod.
password-too-long = Rhaid i'r cyfrinair fod yn { $max } beit o hyd ar y mwyaf.
username-format = Rhaid i { $field } gynnwys rhwng 1 a 64 o lythrennau, digidau neu'r nodau . _ - @.
group-by-unknown = Rhaid i { $field } fod yn clinician neu department.
period-unknown = Rhaid i { $field } fod yn day, week neu month.
audit-action-unknown = Rhaid i { $field } fod yn un o gamau'r trywydd archwilio: patient.created, patient.updated, patient.erased, patient.viewed, appointment.created, appointment.updated, appointment.deleted, sign-in.succeeded, sign-in.failed, sign-in.locked-out, sign-in.refused-while-locked, user.added, user.password-changed, user.disabled, user.enabled neu user.removed.
statistics-too-large = Byddai gan yr ateb fwy na { $max } rhes. Gofynnwch am ystod fyrrach (from, to), { $field } hirach, neu un clinigydd neu adran.
range-empty = Rhaid i { $field } fod yn hwyrach na from: mae'r ystod yn cynnwys from ond nid to.
patient-unknown = Nid oes claf â rhif GIG { $nhs_number }; crëwch gofnod y claf yn gyntaf.
limit-out-of-range = Rhaid i { $field } fod yn rhif cyfan o { $min } i { $max }.
search-no-words = Does dim i chwilio amdano yn { $field }: rhowch o leiaf un gair o lythrennau neu ddigidau.
search-too-many-words = Caiff { $field } gynnwys { $max } gair ar y mwyaf.
cursor-invalid = Nid yw { $field } yn gyrchwr o'r rhestr hon; dechreuwch eto hebddo.
