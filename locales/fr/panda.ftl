# Messages de PANDA, en français.
#
# Chaque identifiant de message est un code stable que PANDA envoie aussi comme `code` ; le texte peut changer, l'identifiant jamais.
# La valeur d'un problème est son `detail` ; son attribut `.title` est son `title`.
# La valeur d'un code de champ est le message relatif à un champ ; `$field` nomme le champ ou le paramètre de requête.

## Problèmes : un par réponse

route-not-found = Aucune ressource n'est disponible à l'adresse { $path }. Consultez /openapi.json pour la liste de toutes les routes.
    .title = Introuvable
method-not-allowed = { $path } n'accepte pas la méthode { $method } ; méthodes acceptées : { $allow }.
    .title = Méthode non autorisée
malformed-json = Le corps de la requête n'est pas un JSON valide (analyse interrompue à la ligne { $line }, colonne { $column }).
    .title = JSON mal formé
payload-too-large = Le corps de la requête dépasse la limite de { $limit } octets.
    .title = Contenu trop volumineux
unsupported-media-type = Envoyez le corps de la requête au format { $expected }, avec un en-tête Content-Type correspondant.
    .title = Type de média non pris en charge
validation-failed = { $count ->
        [one] { $count } champ n'est pas valide ; consultez errors pour savoir quoi corriger.
       *[other] { $count } champs ne sont pas valides ; consultez errors pour savoir quoi corriger.
    }
    .title = Saisie non valide
patient-not-found = Aucun patient ne correspond au numéro NHS { $nhs_number }.
    .title = Patient introuvable
appointment-not-found = Aucun rendez-vous ne correspond à l'identifiant { $id }.
    .title = Rendez-vous introuvable
patient-exists = Un patient avec le numéro NHS { $nhs_number } existe déjà.
    .title = Patient déjà enregistré
appointment-exists = Un rendez-vous avec l'identifiant { $id } existe déjà.
    .title = Rendez-vous déjà enregistré
appointment-cancelled = Ce rendez-vous a été annulé. Un rendez-vous annulé ne peut être ni rétabli ni modifié ; veuillez plutôt en prendre un nouveau.
    .title = Rendez-vous annulé
appointment-attended = Ce rendez-vous a été honoré et ne peut plus être modifié.
    .title = Rendez-vous honoré
appointment-missed = Ce rendez-vous a été manqué (il s'est terminé sans avoir été honoré) et ne peut plus être modifié ; veuillez plutôt en prendre un nouveau.
    .title = Rendez-vous manqué
appointment-active = Ce rendez-vous est toujours actif.
    .title = Rendez-vous actif
status-change-not-allowed = Un rendez-vous actif ne peut pas passer au statut { $to } : seuls les statuts « attended » et « cancelled » peuvent être définis ; le statut « missed » s'applique automatiquement une fois le rendez-vous terminé.
    .title = Changement de statut non autorisé
precondition-failed = L'enregistrement a été modifié depuis que vous l'avez lu (If-Match ne correspond pas à son ETag actuel). Relisez-le et appliquez de nouveau votre modification.
    .title = Échec de la condition préalable
token-missing = Connectez-vous d'abord : envoyez le jeton obtenu via POST /v1/auth/token sous la forme « Authorization: Bearer <token> ».
    .title = Authentification requise
token-invalid = Le jeton n'est pas valide (ou le compte associé a été désactivé, ou son mot de passe a changé). Reconnectez-vous.
    .title = Jeton non valide
token-expired = Le jeton a expiré. Reconnectez-vous.
    .title = Jeton expiré
invalid-credentials = Le nom d'utilisateur ou le mot de passe est incorrect.
    .title = Échec de la connexion
account-locked = { $minutes ->
        [one] Trop de tentatives de connexion infructueuses. Le compte est verrouillé ; réessayez dans { $minutes } minute.
       *[other] Trop de tentatives de connexion infructueuses. Le compte est verrouillé ; réessayez dans { $minutes } minutes.
    }
    .title = Compte verrouillé
auth-not-configured = La connexion n'est pas configurée sur ce serveur. Un administrateur doit définir son secret de jeton.
    .title = Authentification non configurée
bookmark-invalid = X-D1-Bookmark n'est pas un signet de cette API. Renvoyez celui d'une réponse précédente, ou omettez l'en-tête.
    .title = Signet non valide
database-unavailable = La base de données est injoignable. Réessayez dans quelques instants.
    .title = Service indisponible
internal-error = Une erreur s'est produite de notre côté. Elle a été enregistrée ; réessayez ou contactez l'assistance.
    .title = Erreur interne du serveur

## Problèmes de champ : un par champ non valide, listés dans le `errors` d'un problème de validation

field-required = { $field } est obligatoire.
field-not-string = { $field } doit être une chaîne de caractères.
field-not-nullable = { $field } ne peut pas être supprimé ; envoyez une nouvelle valeur au lieu de null.
field-read-only = { $field } ne peut pas être modifié.
field-unknown = { $field } n'est pas reconnu ici.
parameter-repeated = { $field } a été fourni plus d'une fois.
member-repeated = { $field } apparaît plus d'une fois dans le corps ; envoyez chaque membre une seule fois.
body-not-object = Le corps de la requête doit être un objet JSON.
nhs-number-format = { $field } doit être un numéro NHS à 10 chiffres (les espaces et les tirets entre les chiffres sont autorisés).
nhs-number-checksum = { $field } n'est pas un numéro NHS valide : son chiffre de contrôle ne correspond pas.
invalid-postcode = { $field } n'est pas un code postal britannique (par exemple SW1A 1AA).
text-empty = { $field } ne peut pas être vide.
text-too-long = { $field } doit comporter au maximum { $max } caractères.
text-control-characters = { $field } ne peut contenir ni caractères de contrôle ni caractères de direction du texte.
date-format = { $field } doit être une date réelle au format YYYY-MM-DD.
date-in-future = { $field } ne peut pas être dans le futur.
date-too-early = { $field } ne peut pas être antérieur au { $min }.
timestamp-format = { $field } doit être une date et une heure au format RFC 3339 avec un décalage horaire, par exemple 2026-12-01T09:30:00+00:00.
timestamp-missing-offset = { $field } doit comporter un décalage horaire (tel que Z ou +01:00) ; une heure sans décalage est ambiguë.
timestamp-sub-second = { $field } doit être exprimé à la seconde près, sans fraction de seconde.
duration-format = { $field } doit être une durée telle que 15m, 1h, 1h30m, 90m ou PT1H30M.
duration-out-of-range = { $field } doit être compris entre { $min } et { $max }.
status-unknown = { $field } doit avoir l'une des valeurs suivantes : active, attended, cancelled ou missed.
appointment-id-format = { $field } doit être un UUID, par exemple 343d31d4-5993-47ef-a468-7884a467ae80.
appointment-ends-in-past = { $field } ferait se terminer ce rendez-vous actif dans le passé. Pour consigner ce qui s'est passé, définissez plutôt le statut sur « attended » ou « cancelled ».
password-too-short = Le mot de passe doit comporter au moins { $min } caractères.
password-too-long = Le mot de passe ne doit pas dépasser { $max } octets.
username-format = { $field } doit comporter de 1 à 64 caractères, parmi les lettres, les chiffres et . _ - @.
group-by-unknown = { $field } doit valoir clinician ou department.
period-unknown = { $field } doit valoir day, week ou month.
audit-action-unknown = { $field } doit être l'une des actions du journal d'audit : patient.created, patient.updated, patient.erased, patient.viewed, appointment.created, appointment.updated, appointment.deleted, sign-in.succeeded, sign-in.failed, sign-in.locked-out, sign-in.refused-while-locked, user.added, user.password-changed, user.disabled, user.enabled ou user.removed.
statistics-too-large = La réponse compterait plus de { $max } lignes. Demandez une plage plus courte (from, to), un { $field } plus long, ou un seul clinicien ou service.
range-empty = { $field } doit être postérieur à from : from est inclus, to est exclu.
patient-unknown = Aucun patient ne correspond au numéro NHS { $nhs_number } ; créez d'abord le dossier du patient.
limit-out-of-range = { $field } doit être un nombre entier compris entre { $min } et { $max }.
search-no-words = { $field } ne contient rien à rechercher : donnez au moins un mot de lettres ou de chiffres.
search-too-many-words = { $field } peut contenir au plus { $max } mots.
cursor-invalid = { $field } n'est pas un curseur de cette liste ; recommencez sans ce paramètre.
