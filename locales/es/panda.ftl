# Mensajes de PANDA, en español.
#
# Cada identificador de mensaje es un código estable que PANDA también envía como `code`; el texto puede cambiar, el identificador nunca.
# El valor de un problema es su `detail`; su atributo `.title` es su `title`.
# El valor de un código de campo es el mensaje relativo a un campo; `$field` nombra el campo o el parámetro de consulta.

## Problemas: uno por respuesta

route-not-found = No hay nada disponible en { $path }. Consulte /openapi.json para ver todas las rutas.
    .title = No encontrado
method-not-allowed = { $path } no admite { $method }; métodos admitidos: { $allow }.
    .title = Método no permitido
malformed-json = El cuerpo de la solicitud no es un JSON válido (el análisis se detuvo en la línea { $line }, columna { $column }).
    .title = JSON mal formado
payload-too-large = El cuerpo de la solicitud supera el límite de { $limit } bytes.
    .title = Contenido demasiado grande
unsupported-media-type = Envíe el cuerpo de la solicitud como { $expected }, con una cabecera Content-Type que coincida.
    .title = Tipo de medio no admitido
validation-failed = { $count ->
        [one] Un campo no es válido; consulte errors para saber qué debe corregir.
       *[other] { $count } campos no son válidos; consulte errors para saber qué debe corregir.
    }
    .title = Datos no válidos
patient-not-found = No existe ningún paciente con el número del NHS { $nhs_number }.
    .title = Paciente no encontrado
appointment-not-found = No existe ninguna cita con el identificador { $id }.
    .title = Cita no encontrada
patient-exists = Ya existe un paciente con el número del NHS { $nhs_number }.
    .title = El paciente ya existe
appointment-exists = Ya existe una cita con el identificador { $id }.
    .title = La cita ya existe
appointment-cancelled = Esta cita se canceló. Una cita cancelada no se puede restablecer ni modificar; programe una nueva en su lugar.
    .title = Cita cancelada
appointment-attended = Esta cita ya se ha realizado y no se puede modificar.
    .title = Cita realizada
appointment-missed = Esta cita se perdió (finalizó sin que el paciente acudiera) y ya no se puede modificar; programe una nueva en su lugar.
    .title = Cita perdida
appointment-active = Esta cita sigue activa.
    .title = Cita activa
status-change-not-allowed = Una cita activa no puede pasar al estado { $to }: solo se pueden establecer «attended» o «cancelled»; «missed» se aplica automáticamente una vez finalizada la cita.
    .title = Cambio de estado no permitido
precondition-failed = El registro ha cambiado desde que usted lo leyó (If-Match no coincide con su ETag actual). Vuelva a leerlo y aplique de nuevo su cambio.
    .title = Error de condición previa
token-missing = Inicie sesión primero: envíe el token obtenido de POST /v1/auth/token como «Authorization: Bearer <token>».
    .title = Se requiere autenticación
token-invalid = El token no es válido (o la cuenta asociada se ha desactivado o se ha cambiado su contraseña). Vuelva a iniciar sesión.
    .title = Token no válido
token-expired = El token ha caducado. Vuelva a iniciar sesión.
    .title = Token caducado
invalid-credentials = El nombre de usuario o la contraseña son incorrectos.
    .title = Error al iniciar sesión
account-locked = { $minutes ->
        [one] Demasiados intentos fallidos de inicio de sesión. La cuenta está bloqueada; inténtelo de nuevo dentro de un minuto.
       *[other] Demasiados intentos fallidos de inicio de sesión. La cuenta está bloqueada; inténtelo de nuevo dentro de { $minutes } minutos.
    }
    .title = Cuenta bloqueada
auth-not-configured = El inicio de sesión no está configurado en este servidor. Un administrador debe establecer su secreto de tokens.
    .title = Autenticación no configurada
bookmark-invalid = X-D1-Bookmark no es un marcador de esta API. Devuelva uno de una respuesta anterior u omita la cabecera.
    .title = Marcador no válido
database-unavailable = No se ha podido acceder a la base de datos. Inténtelo de nuevo en breve.
    .title = Servicio no disponible
internal-error = Se ha producido un error por nuestra parte. Ha quedado registrado; inténtelo de nuevo o póngase en contacto con el servicio de asistencia.
    .title = Error interno del servidor

## Problemas de campo: uno por cada campo no válido, enumerados en `errors` de un problema de validación

field-required = { $field } es obligatorio.
field-not-string = { $field } debe ser una cadena de texto.
field-not-nullable = { $field } no se puede eliminar; envíe un valor nuevo en lugar de null.
field-read-only = { $field } no se puede modificar.
field-unknown = { $field } no se reconoce aquí.
parameter-repeated = { $field } se ha indicado más de una vez.
member-repeated = { $field } aparece más de una vez en el cuerpo; envíe cada miembro una sola vez.
body-not-object = El cuerpo de la solicitud debe ser un objeto JSON.
nhs-number-format = { $field } debe ser un número del NHS de 10 dígitos (se permiten espacios y guiones entre los dígitos).
nhs-number-checksum = { $field } no es un número del NHS válido: su dígito de control no coincide.
invalid-postcode = { $field } no es un código postal del Reino Unido (por ejemplo, SW1A 1AA).
text-empty = { $field } no puede estar vacío.
text-too-long = { $field } debe tener como máximo { $max } caracteres.
text-control-characters = { $field } no puede contener caracteres de control ni de dirección del texto.
date-format = { $field } debe ser una fecha real con el formato YYYY-MM-DD.
date-in-future = { $field } no puede ser una fecha futura.
date-too-early = { $field } no puede ser anterior a { $min }.
timestamp-format = { $field } debe ser una fecha y hora RFC 3339 con desfase horario, por ejemplo, 2026-12-01T09:30:00+00:00.
timestamp-missing-offset = { $field } necesita un desfase horario (como Z o +01:00); una hora sin desfase es ambigua.
timestamp-sub-second = { $field } debe indicarse en segundos enteros, sin fracciones de segundo.
duration-format = { $field } debe ser una duración como 15m, 1h, 1h30m, 90m o PT1H30M.
duration-out-of-range = { $field } debe estar entre { $min } y { $max }.
status-unknown = { $field } debe tener uno de estos valores: active, attended, cancelled o missed.
appointment-id-format = { $field } debe ser un UUID, por ejemplo, 343d31d4-5993-47ef-a468-7884a467ae80.
appointment-ends-in-past = { $field } haría que esta cita activa terminara en el pasado. Para registrar lo que ocurrió, establezca el estado en «attended» o «cancelled».
password-too-short = La contraseña debe tener al menos { $min } caracteres.
password-too-long = La contraseña debe tener como máximo { $max } bytes.
username-format = { $field } debe tener entre 1 y 64 caracteres, que pueden ser letras, dígitos o . _ - @.
group-by-unknown = { $field } debe ser clinician o department.
period-unknown = { $field } debe ser day, week o month.
audit-action-unknown = { $field } debe ser una de las acciones del registro de auditoría: patient.created, patient.updated, patient.erased, patient.viewed, appointment.created, appointment.updated, appointment.deleted, sign-in.succeeded, sign-in.failed, sign-in.locked-out, sign-in.refused-while-locked, user.added, user.password-changed, user.disabled, user.enabled o user.removed.
statistics-too-large = La respuesta tendría más de { $max } filas. Pida un intervalo más corto (from, to), un { $field } más largo, o un solo profesional o servicio.
range-empty = { $field } debe ser posterior a from: from se incluye y to se excluye.
patient-unknown = No existe ningún paciente con el número del NHS { $nhs_number }; registre primero al paciente.
limit-out-of-range = { $field } debe ser un número entero entre { $min } y { $max }.
search-no-words = { $field } no tiene nada que buscar: indique al menos una palabra de letras o dígitos.
search-too-many-words = { $field } puede tener como máximo { $max } palabras.
cursor-invalid = { $field } no es un cursor de esta lista; vuelva a empezar sin él.
