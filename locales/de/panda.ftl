# PANDA-Meldungen auf Deutsch.
#
# Jede Meldungs-ID ist ein stabiler Code, den PANDA auch als `code` sendet; der Text darf sich ändern, die ID nie.
# Der Wert eines Problems ist sein `detail`; sein Attribut `.title` ist sein `title`.
# Der Wert eines Feldcodes ist die Meldung zu einem Feld; `$field` benennt das Feld oder den Abfrageparameter.

## Probleme: eines pro Antwort

route-not-found = Unter { $path } ist nichts verfügbar. Alle Routen finden Sie unter /openapi.json.
    .title = Nicht gefunden
method-not-allowed = { $path } akzeptiert { $method } nicht; zulässige Methoden: { $allow }.
    .title = Methode nicht zulässig
malformed-json = Der Anfragetext ist kein gültiges JSON (die Verarbeitung wurde in Zeile { $line }, Spalte { $column } abgebrochen).
    .title = Fehlerhaftes JSON
payload-too-large = Der Anfragetext überschreitet die Obergrenze von { $limit } Bytes.
    .title = Anfrage zu groß
unsupported-media-type = Senden Sie den Anfragetext als { $expected } mit einem passenden Content-Type-Header.
    .title = Nicht unterstützter Medientyp
validation-failed = { $count ->
        [one] Ein Feld ist ungültig; unter errors sehen Sie, was zu korrigieren ist.
       *[other] { $count } Felder sind ungültig; unter errors sehen Sie, was zu korrigieren ist.
    }
    .title = Ungültige Eingabe
patient-not-found = Es gibt keinen Patienten mit der NHS-Nummer { $nhs_number }.
    .title = Patient nicht gefunden
appointment-not-found = Es gibt keinen Termin mit der ID { $id }.
    .title = Termin nicht gefunden
patient-exists = Ein Patient mit der NHS-Nummer { $nhs_number } ist bereits vorhanden.
    .title = Patient bereits vorhanden
appointment-exists = Ein Termin mit der ID { $id } ist bereits vorhanden.
    .title = Termin bereits vorhanden
appointment-cancelled = Dieser Termin wurde abgesagt. Ein abgesagter Termin kann weder wiederhergestellt noch geändert werden; vereinbaren Sie stattdessen einen neuen Termin.
    .title = Termin abgesagt
appointment-attended = Dieser Termin wurde wahrgenommen und kann nicht mehr geändert werden.
    .title = Termin wahrgenommen
appointment-missed = Dieser Termin wurde versäumt (er ist verstrichen, ohne wahrgenommen worden zu sein) und kann nicht mehr geändert werden; vereinbaren Sie stattdessen einen neuen Termin.
    .title = Termin versäumt
appointment-active = Dieser Termin ist noch aktiv.
    .title = Termin aktiv
status-change-not-allowed = Ein aktiver Termin kann nicht auf { $to } gesetzt werden: Nur „attended“ oder „cancelled“ können gesetzt werden; „missed“ ergibt sich von selbst, sobald der Termin vorbei ist.
    .title = Statusänderung nicht zulässig
precondition-failed = Der Datensatz wurde geändert, seit Sie ihn gelesen haben (If-Match stimmt nicht mit seinem aktuellen ETag überein). Lesen Sie ihn erneut und nehmen Sie Ihre Änderung noch einmal vor.
    .title = Vorbedingung fehlgeschlagen
token-missing = Melden Sie sich zuerst an: Senden Sie das Token von POST /v1/auth/token als „Authorization: Bearer <token>“.
    .title = Authentifizierung erforderlich
token-invalid = Das Token ist ungültig (oder das zugehörige Konto wurde deaktiviert oder sein Passwort geändert). Melden Sie sich erneut an.
    .title = Ungültiges Token
token-expired = Das Token ist abgelaufen. Melden Sie sich erneut an.
    .title = Token abgelaufen
invalid-credentials = Der Benutzername oder das Passwort ist falsch.
    .title = Anmeldung fehlgeschlagen
account-locked = { $minutes ->
        [one] Zu viele fehlgeschlagene Anmeldeversuche. Das Konto ist gesperrt; versuchen Sie es in einer Minute erneut.
       *[other] Zu viele fehlgeschlagene Anmeldeversuche. Das Konto ist gesperrt; versuchen Sie es in { $minutes } Minuten erneut.
    }
    .title = Konto gesperrt
auth-not-configured = Die Anmeldung ist auf diesem Server nicht eingerichtet. Ein Administrator muss das Token-Secret des Servers festlegen.
    .title = Authentifizierung nicht konfiguriert
bookmark-invalid = X-D1-Bookmark ist kein Lesezeichen dieser API. Senden Sie eines aus einer früheren Antwort zurück oder lassen Sie den Header weg.
    .title = Ungültiges Lesezeichen
database-unavailable = Die Datenbank ist nicht erreichbar. Versuchen Sie es in Kürze erneut.
    .title = Dienst nicht verfügbar
internal-error = Bei uns ist ein Fehler aufgetreten. Er wurde protokolliert; versuchen Sie es erneut oder wenden Sie sich an den Support.
    .title = Interner Serverfehler

## Feldprobleme: eines pro ungültigem Feld, aufgeführt in `errors` eines Validierungsproblems

field-required = { $field } ist erforderlich.
field-not-string = { $field } muss eine Zeichenkette sein.
field-not-nullable = { $field } kann nicht entfernt werden; senden Sie statt null einen neuen Wert.
field-read-only = { $field } kann nicht geändert werden.
field-unknown = { $field } ist hier nicht bekannt.
parameter-repeated = { $field } wurde mehr als einmal angegeben.
member-repeated = { $field } kommt im Anfragetext mehr als einmal vor; senden Sie jedes Mitglied nur einmal.
body-not-object = Der Anfragetext muss ein JSON-Objekt sein.
nhs-number-format = { $field } muss eine NHS-Nummer mit 10 Ziffern sein (Leerzeichen und Bindestriche zwischen den Ziffern sind zulässig).
nhs-number-checksum = { $field } ist keine gültige NHS-Nummer: Die Prüfziffer stimmt nicht.
invalid-postcode = { $field } ist keine britische Postleitzahl (zum Beispiel SW1A 1AA).
text-empty = { $field } darf nicht leer sein.
text-too-long = { $field } darf höchstens { $max } Zeichen lang sein.
text-control-characters = { $field } darf keine Steuerzeichen und keine Zeichen zur Steuerung der Textrichtung enthalten.
date-format = { $field } muss ein gültiges Datum im Format YYYY-MM-DD sein.
date-in-future = { $field } darf nicht in der Zukunft liegen.
date-too-early = { $field } darf nicht vor dem { $min } liegen.
timestamp-format = { $field } muss ein Datum mit Uhrzeit und Zeitzonenversatz nach RFC 3339 sein, zum Beispiel 2026-12-01T09:30:00+00:00.
timestamp-missing-offset = { $field } benötigt einen Zeitzonenversatz (etwa Z oder +01:00); eine Uhrzeit ohne Versatz ist mehrdeutig.
timestamp-sub-second = { $field } muss auf die volle Sekunde genau angegeben werden.
duration-format = { $field } muss eine Dauer wie 15m, 1h, 1h30m, 90m oder PT1H30M sein.
duration-out-of-range = { $field } muss zwischen { $min } und { $max } liegen.
status-unknown = { $field } muss einer der Werte active, attended, cancelled oder missed sein.
appointment-id-format = { $field } muss eine UUID sein, zum Beispiel 343d31d4-5993-47ef-a468-7884a467ae80.
appointment-ends-in-past = { $field } würde diesen aktiven Termin in der Vergangenheit enden lassen. Um festzuhalten, was geschehen ist, setzen Sie den Status stattdessen auf „attended“ oder „cancelled“.
password-too-short = Das Passwort muss mindestens { $min } Zeichen lang sein.
password-too-long = Das Passwort darf höchstens { $max } Bytes lang sein.
username-format = { $field } muss aus 1 bis 64 Buchstaben, Ziffern oder den Zeichen . _ - @ bestehen.
group-by-unknown = { $field } muss clinician oder department sein.
period-unknown = { $field } muss day, week oder month sein.
audit-action-unknown = { $field } muss eine der Aktionen des Prüfprotokolls sein: patient.created, patient.updated, patient.erased, patient.viewed, appointment.created, appointment.updated, appointment.deleted, sign-in.succeeded, sign-in.failed, sign-in.locked-out, sign-in.refused-while-locked, user.added, user.password-changed, user.disabled, user.enabled oder user.removed.
statistics-too-large = Die Antwort hätte mehr als { $max } Zeilen. Fragen Sie einen kürzeren Zeitraum (from, to), eine längere { $field } oder einen einzelnen Kliniker bzw. eine einzelne Abteilung an.
range-empty = { $field } muss nach from liegen: from ist eingeschlossen, to ausgeschlossen.
patient-unknown = Es gibt keinen Patienten mit der NHS-Nummer { $nhs_number }; legen Sie den Patienten zuerst an.
limit-out-of-range = { $field } muss eine ganze Zahl von { $min } bis { $max } sein.
search-no-words = { $field } enthält nichts zum Suchen: Geben Sie mindestens ein Wort aus Buchstaben oder Ziffern an.
search-too-many-words = { $field } darf höchstens { $max } Wörter enthalten.
cursor-invalid = { $field } ist kein Cursor aus dieser Liste; beginnen Sie ohne diesen Parameter von vorn.
