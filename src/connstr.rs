//! Connection strings: ADO.NET/ODBC `key=value;…` strings, URIs with user info
//! (`postgres://u:p@h/db`, `mongodb+srv://…`, `amqps://…`, `rediss://…`, `jdbc:sqlserver://…;password=`)
//! and the StackExchange.Redis form (`host:6380,password=…,ssl=True`).
//!
//! [`parse`] keeps the byte range of every part inside the string, [`ConnString::auth`] says how the
//! string authenticates (identity, a literal secret, a secret from an expression, the development
//! emulator, nothing) and [`ConnString::service`] which Azure service it talks to.
//!
//! Strings built by expressions (ARM `concat()`/`format()`, Terraform and Bicep interpolation) are
//! flattened by [`flatten`] into literal text and holes; [`parse_pieces`] parses the text with each
//! hole standing in as [`HOLE`], so `AccountKey=<hole: listKeys(…)>` is seen as a key that comes from
//! an expression.
//!
//! This module is the grammar: text in, parts out, no document, no analysis. It sits below both
//! the parsers (the line-level recovery of a broken file asks whether a line is a connection
//! string) and the analyses; finding connection strings in a document's values, and what kind of
//! expression a secret comes from, is [`crate::analysis::connstr`]'s.

use std::ops::Range;

use crate::ir::classify::{self, classify_literal};
use crate::ir::{Expr, StrClass};

/// The storage emulator's (Azurite's) well-known account key: published, not a secret.
pub const EMULATOR_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The Cosmos DB emulator's well-known account key: published by Microsoft, not a secret.
pub const COSMOS_EMULATOR_KEY: &str =
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/// True for a local emulator's published key (Azurite's storage key, the Cosmos DB emulator's).
pub fn is_emulator_key(s: &str) -> bool {
    s == EMULATOR_KEY || s == COSMOS_EMULATOR_KEY
}

/// Stands for an expression hole in flattened text (a private-use character no template contains).
pub const HOLE: char = '\u{E000}';

/// The service a connection string talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Sql,
    Storage,
    ServiceBus,
    EventHubs,
    CosmosDb,
    /// Cosmos DB for MongoDB (`mongodb://…cosmos.azure.com`): keys only.
    CosmosMongo,
    Redis,
    Postgres,
    MySql,
    IotHub,
    SignalR,
    AppConfig,
    Other,
}

impl Service {
    /// The service catalog's row (`rules/services.tsv`) for this service.
    pub fn catalog(&self) -> Option<&'static crate::analysis::services::Service> {
        let id = match self {
            Service::Sql => "sql",
            Service::Storage => "storage",
            Service::ServiceBus => "servicebus",
            Service::EventHubs => "eventhubs",
            Service::CosmosDb => "cosmos",
            Service::CosmosMongo => "cosmos-mongodb",
            Service::Redis => "redis",
            Service::Postgres => "postgres",
            Service::MySql => "mysql",
            Service::IotHub => "iothub",
            Service::SignalR => "signalr",
            Service::AppConfig => "appconfig",
            Service::Other => return None,
        };
        crate::analysis::services::by_id(id)
    }

    pub fn name(&self) -> &'static str {
        self.catalog().map_or("This", |s| s.label)
    }

    /// What to use instead: the identity-based way to connect, from the service catalog (or what
    /// to do where the service has none).
    pub fn identity_fix(&self) -> &'static str {
        self.catalog().map_or(
            "connect with a managed identity where the service accepts one, else keep the secret in Key Vault (a Key Vault reference)",
            |s| s.instead,
        )
    }

    /// The Entra form of this service's connection strings, `None` where a connection string has
    /// no password-free form (no fix rewrites the string then).
    pub fn entra_form(&self) -> Option<&'static str> {
        self.catalog().and_then(|s| s.entra_form)
    }
}

/// How the string was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `key=value;key=value` (ADO.NET, ODBC, Azure SDK connection strings).
    KeyValue,
    /// `scheme://user:password@host/…`.
    Uri,
    /// `host:port,password=…,ssl=True`.
    Redis,
}

/// One `key=value` part (or a URI's user / password / host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The key as written (`User ID`), or `user`/`password`/`host` for URI pieces.
    pub key: String,
    /// The value, unquoted.
    pub value: String,
    /// The whole part (`Password=x`), in bytes of the parsed string.
    pub range: Range<usize>,
    /// The value as written (inside quotes or braces when quoted).
    pub value_range: Range<usize>,
}

/// A parsed connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnString {
    pub form: Form,
    pub parts: Vec<Part>,
    /// URI scheme, lower-cased (`postgresql`, `jdbc:sqlserver`), for [`Form::Uri`].
    pub scheme: Option<String>,
    /// The value range of a connection string quoted inside this one (Entity Framework's
    /// `provider connection string="…"`), whose parts were lifted into `parts` in its place.
    pub nested: Option<Range<usize>>,
}

/// How a connection string authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Microsoft Entra / integrated authentication, no secret.
    IdentityBased,
    /// A secret written in the string: the part's index.
    LiteralSecret { part: usize },
    /// The secret part is (or contains) an expression hole.
    SecretFromExpression { part: usize },
    /// `UseDevelopmentStorage=true`, the emulator account or key.
    DevEmulator,
    /// No secret (a placeholder, a Key Vault reference, or no secret part at all).
    NoSecret,
}

/// Keys of an ADO.NET SQL connection string whose values name the server and the connection's
/// behaviour, never a credential (lower case): the only parts a fix copies.
pub const SAFE_SQL_KEYS: &[&str] = &[
    "server",
    "data source",
    "address",
    "addr",
    "network address",
    "initial catalog",
    "database",
    "encrypt",
    "trustservercertificate",
    "trust server certificate",
    "hostnameincertificate",
    "host name in certificate",
    "connection timeout",
    "connect timeout",
    "command timeout",
    "multipleactiveresultsets",
    "multiple active result sets",
    "applicationintent",
    "application intent",
    "multisubnetfailover",
    "multi subnet failover",
    "connectretrycount",
    "connect retry count",
    "connectretryinterval",
    "connect retry interval",
    "pooling",
    "min pool size",
    "max pool size",
    "packet size",
];

/// Keys whose value is a secret (lower case).
pub const SECRET_KEYS: &[&str] = &[
    "password",
    "pwd",
    "accountkey",
    "sharedaccesskey",
    "sharedaccesssignature",
    "accesskey",
    "secret",
];
/// Keys that name the user (lower case).
pub const USER_KEYS: &[&str] = &["user id", "userid", "uid", "user", "username", "user name"];
const KNOWN_KEYS: &[&str] = &[
    "server",
    "data source",
    "address",
    "addr",
    "network address",
    "host",
    "hostname",
    "port",
    "database",
    "initial catalog",
    "accountname",
    "accountendpoint",
    "defaultendpointsprotocol",
    "endpointsuffix",
    "blobendpoint",
    "queueendpoint",
    "tableendpoint",
    "fileendpoint",
    "endpoint",
    "sharedaccesskeyname",
    "entitypath",
    "deviceid",
    "moduleid",
    "id",
    "authentication",
    "integrated security",
    "trusted_connection",
    "driver",
    "provider",
    "encrypt",
    "usedevelopmentstorage",
    "version",
    "authtype",
    "sslmode",
    "ssl mode",
];

/// Is this connection-string key (lower case) one whose value never holds a secret? The keys that
/// recognise a connection string (but `id`), the user keys, the SQL keys a fix may copy, and the
/// SAS fields that are not the signature. Inside a connection string the redaction pass masks the
/// value of every other key: a token in `Application Name` is still a secret.
pub fn is_non_secret_key(k: &str) -> bool {
    k != "id"
        && (KNOWN_KEYS.contains(&k)
            || USER_KEYS.contains(&k)
            || SAFE_SQL_KEYS.contains(&k)
            || ["persist security info", "ss", "srt", "sp"].contains(&k))
}

fn key_is(key: &str, set: &[&str]) -> bool {
    let k = key.trim().to_ascii_lowercase();
    set.contains(&k.as_str())
}

/// Parses a connection string; `None` when the text does not look like one.
pub fn parse(s: &str) -> Option<ConnString> {
    if s.len() > 64 * 1024 || !(s.contains('=') || s.contains("://")) {
        return None;
    }
    if let Some(cs) = parse_uri(s) {
        return Some(cs);
    }
    if let Some(cs) = parse_redis(s) {
        return Some(cs);
    }
    parse_kv(s)
}

fn parse_kv(s: &str) -> Option<ConnString> {
    let mut nested = None;
    let parts = lift_nested(s, kv_parts(s, 0, b';'), &mut nested);
    let known = parts
        .iter()
        .filter(|p| key_is(&p.key, KNOWN_KEYS) || key_is(&p.key, SECRET_KEYS))
        .count();
    let dev = parts
        .iter()
        .any(|p| key_is(&p.key, &["usedevelopmentstorage"]));
    // One recognised key and another part, or the development-storage switch on its own. A lone
    // `password=x` is left to the secret patterns: it is not a connection string.
    if !(dev || (known >= 1 && parts.len() >= 2)) {
        return None;
    }
    Some(ConnString {
        form: Form::KeyValue,
        parts,
        scheme: None,
        nested,
    })
}

/// A quoted value that is itself a connection string (Entity Framework's `provider connection
/// string="…"`, or `'…'`; XML's `&quot;` and JSON's `\"` are decoded before this): its parts
/// replace the outer part, with ranges inside `s`, so the password inside is seen like any other.
/// One level, only a value written without doubled quotes (so its offsets are those of `s`), never
/// the value of a secret key (a quoted password with `;` and `=` in it stays one password).
fn lift_nested(s: &str, parts: Vec<Part>, nested: &mut Option<Range<usize>>) -> Vec<Part> {
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        let vr = p.value_range.clone();
        let quoted = vr
            .start
            .checked_sub(1)
            .and_then(|i| s.as_bytes().get(i))
            .is_some_and(|q| *q == b'"' || *q == b'\'');
        if quoted
            && nested.is_none()
            && !key_is(&p.key, SECRET_KEYS)
            && p.value.contains(';')
            && s.get(vr.clone()) == Some(p.value.as_str())
        {
            let inner = kv_parts(&p.value, vr.start, b';');
            let known = inner
                .iter()
                .filter(|q| key_is(&q.key, KNOWN_KEYS) || key_is(&q.key, SECRET_KEYS))
                .count();
            if known >= 1 && inner.len() >= 2 {
                *nested = Some(vr);
                out.extend(inner);
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// Splits `key=value` parts at `sep`, honouring quotes (`'…'`, `"…"`, doubled to escape) and ODBC
/// braces (`{…}`, `}}` escapes). Offsets are shifted by `base`.
fn kv_parts(s: &str, base: usize, sep: u8) -> Vec<Part> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // skip separators and whitespace
        while i < b.len() && (b[i] == sep || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && b[i] != sep {
            i += 1;
        }
        if i >= b.len() || b[i] == sep {
            // a segment without `=`: not a part
            continue;
        }
        let key = s[start..i].trim().to_string();
        i += 1; // '='
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let (value, vr, end) = read_value(s, i, sep);
        i = end;
        if !key.is_empty() {
            parts.push(Part {
                key,
                value,
                range: base + start..base + vr.end.max(start),
                value_range: base + vr.start..base + vr.end,
            });
        }
    }
    parts
}

/// Reads a value at `i`: returns the unquoted value, its raw range, and where to continue.
fn read_value(s: &str, i: usize, sep: u8) -> (String, Range<usize>, usize) {
    let b = s.as_bytes();
    if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
        let q = b[i];
        let mut out = Vec::new();
        let mut j = i + 1;
        while j < b.len() {
            if b[j] == q {
                if j + 1 < b.len() && b[j + 1] == q {
                    out.push(q);
                    j += 2;
                    continue;
                }
                break;
            }
            out.push(b[j]);
            j += 1;
        }
        let end = j.min(b.len());
        let next = (end + 1).min(b.len());
        return (String::from_utf8_lossy(&out).into_owned(), i + 1..end, next);
    }
    // `{…}` ODBC quoting, but not `{{ template }}` stand-ins
    if i < b.len() && b[i] == b'{' && !s[i..].starts_with("{{") {
        let mut out = Vec::new();
        let mut j = i + 1;
        while j < b.len() {
            if b[j] == b'}' {
                if j + 1 < b.len() && b[j + 1] == b'}' {
                    out.push(b'}');
                    j += 2;
                    continue;
                }
                break;
            }
            out.push(b[j]);
            j += 1;
        }
        if j < b.len() {
            return (String::from_utf8_lossy(&out).into_owned(), i + 1..j, j + 1);
        }
        // unbalanced: fall through to a plain value
    }
    let mut j = i;
    while j < b.len() && b[j] != sep {
        j += 1;
    }
    let raw = &s[i..j];
    let trimmed = raw.trim_end();
    (trimmed.to_string(), i..i + trimmed.len(), j)
}

const URI_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mongodb",
    "mongodb+srv",
    "amqp",
    "amqps",
    "redis",
    "rediss",
    "sqlserver",
    "jdbc:sqlserver",
    "jdbc:postgresql",
    "jdbc:mysql",
    "mssql",
];

fn parse_uri(s: &str) -> Option<ConnString> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let sep = t.find("://")?;
    let scheme = t[..sep].to_ascii_lowercase();
    if !URI_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    let auth_start = lead + sep + 3;
    let rest = &s[auth_start..];
    let auth_end = rest
        .find(['/', '?', ';', '#'])
        .map(|e| auth_start + e)
        .unwrap_or(s.len());
    let authority = &s[auth_start..auth_end];
    let mut parts = Vec::new();
    let host_start = if let Some(at) = authority.rfind('@') {
        let userinfo = &authority[..at];
        let (user, pass) = match userinfo.find(':') {
            Some(c) => (&userinfo[..c], Some((c, &userinfo[c + 1..]))),
            None => (userinfo, None),
        };
        parts.push(Part {
            key: "user".into(),
            value: percent_decode(user),
            range: auth_start..auth_start + user.len(),
            value_range: auth_start..auth_start + user.len(),
        });
        if let Some((c, p)) = pass {
            let ps = auth_start + c + 1;
            parts.push(Part {
                key: "password".into(),
                value: percent_decode(p),
                range: ps..ps + p.len(),
                value_range: ps..ps + p.len(),
            });
        }
        auth_start + at + 1
    } else {
        auth_start
    };
    parts.push(Part {
        key: "host".into(),
        value: s[host_start..auth_end].to_string(),
        range: host_start..auth_end,
        value_range: host_start..auth_end,
    });
    // `?a=b&c=d` query parameters, or `;a=b;c=d` (JDBC SQL Server).
    if auth_end < s.len() {
        let tail = &s[auth_end..];
        if let Some(q) = tail.find('?') {
            let qs = auth_end + q + 1;
            let query = s[qs..].split('#').next().unwrap_or("");
            parts.extend(kv_parts(query, qs, b'&'));
        } else if tail.starts_with(';') {
            parts.extend(kv_parts(tail, auth_end, b';'));
        }
    }
    Some(ConnString {
        form: Form::Uri,
        parts,
        scheme: Some(scheme),
        nested: None,
    })
}

pub(crate) fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `host:6380,password=…,ssl=True,abortConnect=False` (StackExchange.Redis configuration).
fn parse_redis(s: &str) -> Option<ConnString> {
    if s.contains(';') || !s.contains(',') {
        return None;
    }
    let first = s.split(',').next()?.trim();
    if first.contains('=') || first.is_empty() || first.contains(' ') {
        return None;
    }
    let host_start = s.find(first)?;
    let mut parts = vec![Part {
        key: "host".into(),
        value: first.to_string(),
        range: host_start..host_start + first.len(),
        value_range: host_start..host_start + first.len(),
    }];
    let rest_start = host_start + first.len();
    let more = kv_parts(&s[rest_start..], rest_start, b',');
    let redisish = more.iter().any(|p| {
        key_is(
            &p.key,
            &["password", "ssl", "abortconnect", "user", "connecttimeout"],
        )
    });
    if !redisish {
        return None;
    }
    parts.extend(more);
    Some(ConnString {
        form: Form::Redis,
        parts,
        scheme: None,
        nested: None,
    })
}

impl ConnString {
    /// The first part with one of these keys (case-insensitive).
    pub fn get(&self, keys: &[&str]) -> Option<(usize, &Part)> {
        self.parts
            .iter()
            .enumerate()
            .find(|(_, p)| key_is(&p.key, keys))
    }

    fn value_of(&self, keys: &[&str]) -> Option<String> {
        self.get(keys).map(|(_, p)| p.value.to_ascii_lowercase())
    }

    fn any_value_contains(&self, needle: &str) -> bool {
        self.parts
            .iter()
            .any(|p| p.value.to_ascii_lowercase().contains(needle))
    }

    /// The service the string talks to.
    pub fn service(&self) -> Service {
        let host = self
            .value_of(&[
                "host",
                "hostname",
                "server",
                "data source",
                "address",
                "addr",
            ])
            .unwrap_or_default();
        match self.scheme.as_deref() {
            Some("postgres" | "postgresql" | "jdbc:postgresql") => return Service::Postgres,
            Some("mysql" | "jdbc:mysql") => return Service::MySql,
            Some("jdbc:sqlserver" | "sqlserver" | "mssql") => return Service::Sql,
            Some("redis" | "rediss") => return Service::Redis,
            Some("mongodb" | "mongodb+srv") => {
                return if host.contains("cosmos.azure.com") || host.contains("documents.azure.com")
                {
                    Service::CosmosMongo
                } else {
                    Service::Other
                }
            }
            Some("amqp" | "amqps") => {
                return if host.contains("servicebus.windows.net") {
                    Service::ServiceBus
                } else {
                    Service::Other
                }
            }
            _ => {}
        }
        if self.form == Form::Redis || host.contains("redis.cache.windows.net") {
            return Service::Redis;
        }
        let endpoint = self.value_of(&["endpoint"]).unwrap_or_default();
        if self.get(&["accountendpoint"]).is_some()
            || self.any_value_contains("documents.azure.com")
        {
            return Service::CosmosDb;
        }
        if self.get(&["usedevelopmentstorage"]).is_some()
            || (self.get(&["accountname"]).is_some()
                && self
                    .get(&[
                        "accountkey",
                        "sharedaccesssignature",
                        "defaultendpointsprotocol",
                        "blobendpoint",
                        "queueendpoint",
                        "tableendpoint",
                        "fileendpoint",
                        "endpointsuffix",
                    ])
                    .is_some())
            || self.any_value_contains(".core.windows.net")
        {
            return Service::Storage;
        }
        if host.contains("azure-devices.net") || self.get(&["deviceid"]).is_some() {
            return Service::IotHub;
        }
        if endpoint.contains("servicebus.windows.net") || endpoint.starts_with("sb://") {
            let eh = self.parts.iter().any(|p| {
                p.value.to_ascii_lowercase().contains("eventhub")
                    || p.key.to_ascii_lowercase().contains("eventhub")
            });
            return if eh {
                Service::EventHubs
            } else {
                Service::ServiceBus
            };
        }
        if endpoint.contains("signalr.net") || self.get(&["accesskey"]).is_some() {
            return Service::SignalR;
        }
        if endpoint.contains("azconfig.io")
            || (self.get(&["id"]).is_some() && self.get(&["secret"]).is_some())
        {
            return Service::AppConfig;
        }
        self.database_engine().unwrap_or(Service::Other)
    }

    /// The database engine of a `key=value` string, from what only that engine writes: the host
    /// (`.database.windows.net`, `.mysql.database.azure.com`, `.postgres.database.azure.com`), the
    /// port (1433, 3306, 5432), a `tcp:` server prefix, the ODBC driver, keys only one client
    /// library has (`Initial Catalog` for SqlClient, `Host` / `Username` for Npgsql). `Server=…;
    /// Database=…;User Id=…;Password=…` alone fits SQL Server, MySQL and PostgreSQL clients alike:
    /// `None`, so no engine's advice or fix is given for it.
    pub fn database_engine(&self) -> Option<Service> {
        let host = self
            .value_of(&["host", "server", "data source", "address", "addr"])
            .unwrap_or_default();
        let port = self.value_of(&["port"]).unwrap_or_default();
        let driver = self.value_of(&["driver", "provider"]).unwrap_or_default();
        let has_port = |p: &str| {
            port.trim() == p || host.ends_with(&format!(",{p}")) || host.ends_with(&format!(":{p}"))
        };
        if host.contains("mysql") || driver.contains("mysql") || has_port("3306") {
            return Some(Service::MySql);
        }
        if host.contains("postgres") || driver.contains("postgres") || has_port("5432") {
            return Some(Service::Postgres);
        }
        if host.contains(".database.windows.net")
            || host.starts_with("tcp:")
            || has_port("1433")
            || driver.contains("sql server")
            || driver.contains("sqlclient")
            || driver.contains("sqlncli")
            || driver.contains("msoledbsql")
            || self
                .get(&[
                    "initial catalog",
                    "multipleactiveresultsets",
                    "multiple active result sets",
                    "trustservercertificate",
                    "trust server certificate",
                    "integrated security",
                    "trusted_connection",
                    "applicationintent",
                    "multisubnetfailover",
                ])
                .is_some()
        {
            return Some(Service::Sql);
        }
        if self.get(&["host", "username"]).is_some()
            && self.get(&["database", "server", "host"]).is_some()
        {
            return Some(Service::Postgres);
        }
        None
    }

    /// How the string authenticates.
    pub fn auth(&self) -> Auth {
        if let Some((_, p)) = self.get(&["usedevelopmentstorage"]) {
            if p.value.eq_ignore_ascii_case("true") {
                return Auth::DevEmulator;
            }
        }
        if self
            .value_of(&["accountname"])
            .is_some_and(|v| v == "devstoreaccount1")
        {
            return Auth::DevEmulator;
        }
        // The Cosmos DB emulator on this machine (`AccountEndpoint=https://localhost:8081/`).
        if self
            .value_of(&["accountendpoint"])
            .is_some_and(|v| is_local_endpoint(&v))
        {
            return Auth::DevEmulator;
        }
        for (i, p) in self.parts.iter().enumerate() {
            if !key_is(&p.key, SECRET_KEYS) {
                continue;
            }
            // `Secret=` is App Configuration's key only next to `Id=`.
            if key_is(&p.key, &["secret"]) && self.get(&["id"]).is_none() {
                continue;
            }
            let v = p.value.trim();
            if v.contains(HOLE) {
                // a hole somewhere in the value, with no literal text of its own to speak of
                return Auth::SecretFromExpression { part: i };
            }
            if is_emulator_key(v) {
                return Auth::DevEmulator;
            }
            if is_stand_in(v) {
                continue;
            }
            return Auth::LiteralSecret { part: i };
        }
        let auth = self
            .value_of(&["authentication", "authtype"])
            .unwrap_or_default();
        if auth.contains("active directory")
            || auth.contains("managedidentity")
            || auth.contains("managed identity")
            || auth == "azure.msi"
            || auth == "azure"
        {
            return Auth::IdentityBased;
        }
        let integrated = self
            .value_of(&["integrated security", "trusted_connection"])
            .unwrap_or_default();
        if matches!(integrated.as_str(), "true" | "sspi" | "yes") {
            return Auth::IdentityBased;
        }
        Auth::NoSecret
    }

    /// The user part, for fixes.
    pub fn user(&self) -> Option<(usize, &Part)> {
        self.get(USER_KEYS)
    }
}

/// True for an endpoint on this machine (`https://localhost:8081/`, `https://127.0.0.1:8081`):
/// a local emulator, whose key is published.
fn is_local_endpoint(v: &str) -> bool {
    let rest = v
        .trim()
        .strip_prefix("https://")
        .or_else(|| v.trim().strip_prefix("http://"))
        .unwrap_or(v.trim());
    let host = rest
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
}

/// A value that stands for one to be filled in, or refers to a secret store.
fn is_stand_in(v: &str) -> bool {
    if classify_literal(v) != StrClass::Literal {
        return true;
    }
    // stand-ins embedded in a value: `$(Db.Password)`, `{{ pwd }}`, `#{Pwd}#`, `${PWD}`; and
    // template-expression text inside a literal (an ARM `[concat(…` whose closing `]` is missing
    // is a literal to ARM, but the "password" in it is `', parameters('pwd'), '`)
    // `{1}` is read as an ODBC braced value `1`: a format slot either way.
    if is_format_slot(v) || (v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit())) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    classify::has_substitution(v)
        || lower.contains("@microsoft.keyvault(")
        || ["parameters(", "variables(", "listkeys(", "reference("]
            .iter()
            .any(|m| lower.contains(m))
}

/// A format string's slot standing for the whole value: `{0}` (ARM/Bicep/.NET `format`), `%s`,
/// `%v`, `%[2]s` (Terraform `format`, printf).
fn is_format_slot(v: &str) -> bool {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let n = inner.split([',', ':']).next().unwrap_or("");
        return !n.is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit());
    }
    if let Some(rest) = v.strip_prefix('%') {
        let rest = match rest.strip_prefix('[') {
            Some(r) => match r.split_once(']') {
                Some((n, tail)) if n.bytes().all(|b| b.is_ascii_digit()) => tail,
                _ => return false,
            },
            None => rest,
        };
        let mut chars = rest.chars();
        return matches!(chars.next(), Some('s' | 'v' | 'q' | 'd')) && chars.next().is_none();
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Expressions

/// A piece of a flattened expression: literal text or a hole (the sub-expression).
#[derive(Debug, Clone, PartialEq)]
pub enum Fragment<'a> {
    Text(String),
    Hole(&'a Expr),
}

/// Flattens a string-building expression into literal text and holes: `concat('a', x, 'b')`,
/// `format('{0};k={1}', a, b)`, Terraform/Bicep `"a${x}b"`. Anything else is one hole.
pub fn flatten(e: &Expr) -> Vec<Fragment<'_>> {
    let mut out = Vec::new();
    flatten_into(e, &mut out, 0);
    // merge adjacent text
    let mut merged: Vec<Fragment> = Vec::new();
    for p in out {
        match (merged.last_mut(), p) {
            (Some(Fragment::Text(a)), Fragment::Text(b)) => a.push_str(&b),
            (_, p) => merged.push(p),
        }
    }
    merged
}

fn flatten_into<'a>(e: &'a Expr, out: &mut Vec<Fragment<'a>>, depth: usize) {
    if depth > 64 {
        out.push(Fragment::Hole(e));
        return;
    }
    match e {
        Expr::Str(s) => out.push(Fragment::Text(s.clone())),
        Expr::Number(n) => out.push(Fragment::Text(n.clone())),
        Expr::Interp(parts) => parts.iter().for_each(|p| flatten_into(p, out, depth + 1)),
        Expr::Call { name, args } if name.eq_ignore_ascii_case("concat") => {
            args.iter().for_each(|p| flatten_into(p, out, depth + 1))
        }
        Expr::Call { name, args } if name.eq_ignore_ascii_case("format") && !args.is_empty() => {
            let Some(fmt) = args[0].as_str() else {
                out.push(Fragment::Hole(e));
                return;
            };
            let mut text = String::new();
            let mut chars = fmt.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                match c {
                    '{' if fmt[i..].starts_with("{{") => {
                        text.push('{');
                        chars.next();
                    }
                    '}' if fmt[i..].starts_with("}}") => {
                        text.push('}');
                        chars.next();
                    }
                    '{' => {
                        let close = fmt[i..].find('}').map(|c| i + c);
                        let idx = close.and_then(|c| {
                            fmt[i + 1..c]
                                .split([',', ':'])
                                .next()
                                .and_then(|n| n.trim().parse::<usize>().ok())
                        });
                        match (close, idx.and_then(|n| args.get(n + 1))) {
                            (Some(c), Some(arg)) => {
                                out.push(Fragment::Text(std::mem::take(&mut text)));
                                flatten_into(arg, out, depth + 1);
                                while chars.peek().is_some_and(|(j, _)| *j <= c) {
                                    chars.next();
                                }
                            }
                            _ => text.push(c),
                        }
                    }
                    _ => text.push(c),
                }
            }
            out.push(Fragment::Text(text));
        }
        _ => out.push(Fragment::Hole(e)),
    }
}

/// Parses flattened pieces; returns the connection string (over the text with [`HOLE`] for each
/// hole) and the holes in order.
pub fn parse_pieces<'a>(pieces: &[Fragment<'a>]) -> Option<(ConnString, String, Vec<&'a Expr>)> {
    let mut text = String::new();
    let mut holes = Vec::new();
    for p in pieces {
        match p {
            Fragment::Text(t) => text.push_str(t),
            Fragment::Hole(e) => {
                text.push(HOLE);
                holes.push(*e);
            }
        }
    }
    if !text.contains(|c: char| c != HOLE) {
        return None;
    }
    let cs = parse(&text)?;
    Some((cs, text, holes))
}

/// The holes inside a part's value (indices into the hole list of [`parse_pieces`]).
pub fn holes_in(text: &str, part: &Part) -> Vec<usize> {
    let before = text
        .get(..part.value_range.start)
        .map(|t| t.matches(HOLE).count())
        .unwrap_or(0);
    let inside = text
        .get(part.value_range.clone())
        .map(|t| t.matches(HOLE).count())
        .unwrap_or(0);
    (before..before + inside).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part<'a>(cs: &'a ConnString, s: &'a str, key: &str) -> (&'a str, &'a str) {
        let (_, p) = cs.get(&[key]).unwrap();
        (p.value.as_str(), &s[p.value_range.clone()])
    }

    #[test]
    fn ado_net_with_synonyms_quotes_and_braces() {
        let s = "Server=tcp:x.database.windows.net,1433;Initial Catalog=db;UID=admin;Pwd=\"a;b\"\"c\";Encrypt=True";
        let cs = parse(s).unwrap();
        assert_eq!(cs.form, Form::KeyValue);
        assert_eq!(cs.service(), Service::Sql);
        assert_eq!(part(&cs, s, "pwd"), ("a;b\"c", "a;b\"\"c"));
        assert_eq!(cs.auth(), Auth::LiteralSecret { part: 3 });
        assert_eq!(cs.user().unwrap().1.value, "admin");
        let odbc = "Driver={ODBC Driver 18 for SQL Server};Server=x;PWD={p;w}}d};UID=u";
        let cs = parse(odbc).unwrap();
        assert_eq!(part(&cs, odbc, "pwd"), ("p;w}d", "p;w}}d"));
        assert_eq!(
            cs.get(&["driver"]).unwrap().1.value,
            "ODBC Driver 18 for SQL Server"
        );
        let single = "Data Source=x;User ID=u;Password='it''s'";
        let cs = parse(single).unwrap();
        assert_eq!(part(&cs, single, "password"), ("it's", "it''s"));
        // key ranges cover the part
        let (_, p) = cs.get(&["user id"]).unwrap();
        assert_eq!(&single[p.range.clone()], "User ID=u");
    }

    /// A connection string quoted inside another (Entity Framework): its parts replace the outer
    /// part, with ranges in the outer text; a quoted password with `;` and `=` stays one value.
    #[test]
    fn nested_quoted_connection_strings() {
        for q in ['"', '\''] {
            let s = format!("metadata=res://*/M.csdl;provider=System.Data.SqlClient;provider connection string={q}data source=x;user id=u;password=p4ss;App=EF{q}");
            let cs = parse(&s).unwrap();
            assert_eq!(cs.service(), Service::Sql, "{s}");
            assert_eq!(part(&cs, &s, "password"), ("p4ss", "p4ss"));
            let (i, _) = cs.get(&["password"]).unwrap();
            assert_eq!(cs.auth(), Auth::LiteralSecret { part: i });
            let inner = cs.nested.clone().unwrap();
            assert_eq!(&s[inner], "data source=x;user id=u;password=p4ss;App=EF");
            assert!(cs.get(&["provider connection string"]).is_none());
        }
        let s = "Data Source=x;User ID=u;Password=\"a;Server=b\"";
        let cs = parse(s).unwrap();
        assert_eq!(part(&cs, s, "password"), ("a;Server=b", "a;Server=b"));
        assert!(cs.nested.is_none());
        // doubled quotes inside: offsets would not match, so the value is left whole
        let s = "provider=System.Data.SqlClient;provider connection string=\"data source=x;password=a\"\"b\"";
        assert!(parse(s).unwrap().nested.is_none());
    }

    /// The Cosmos DB emulator: its published key anywhere, or any key for an endpoint on this
    /// machine, is not a secret.
    #[test]
    fn cosmos_emulator_is_not_a_secret() {
        let emu = COSMOS_EMULATOR_KEY;
        for s in [
            format!("AccountEndpoint=https://localhost:8081/;AccountKey={emu}"),
            format!("AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey={emu}"),
            "AccountEndpoint=https://127.0.0.1:8081/;AccountKey=bm90LXRoZS1lbXVsYXRvci1rZXk="
                .to_string(),
            "AccountEndpoint=http://LOCALHOST:8081;AccountKey=bm90LXRoZS1lbXVsYXRvci1rZXk="
                .to_string(),
        ] {
            let cs = parse(&s).unwrap();
            assert_eq!(cs.service(), Service::CosmosDb, "{s}");
            assert_eq!(cs.auth(), Auth::DevEmulator, "{s}");
        }
        let remote = "AccountEndpoint=https://localhost.contoso.com/;AccountKey=bm90LXRoZS1lbXVsYXRvci1rZXk=";
        assert!(matches!(
            parse(remote).unwrap().auth(),
            Auth::LiteralSecret { .. }
        ));
    }

    #[test]
    fn identity_based_and_stand_ins() {
        for s in [
            "Server=tcp:x.database.windows.net;Database=db;Authentication=Active Directory Default",
            "Server=x;Database=db;Authentication=Active Directory Managed Identity;User Id=0f8fad5b-d9cb-469f-a165-70867728950e",
            "Server=x;Database=db;Authentication=Active Directory MSI",
            "Server=x;Database=db;Authentication=Active Directory Workload Identity",
            "Data Source=x;Initial Catalog=db;Integrated Security=SSPI",
            "Server=x;Database=db;Trusted_Connection=yes",
        ] {
            assert_eq!(parse(s).unwrap().auth(), Auth::IdentityBased, "{s}");
        }
        for s in [
            "Server=x;Database=db;User ID=u;Password=$(DbPassword)",
            "Server=x;Database=db;User ID=u;Password={{ db_password }}",
            "Server=x;Database=db;User ID=u;Password=<password>",
            "Server=x;Database=db;User ID=u;Password=",
            "Server=x;Database=db;User ID=u;Password=#{DbPassword}#",
            "[concat('Server=x;Database=db;User ID=u;Password=', parameters('pwd'), ';Encrypt=True'",
        ] {
            assert_eq!(parse(s).unwrap().auth(), Auth::NoSecret, "{s}");
        }
        assert_eq!(
            parse("UseDevelopmentStorage=true").unwrap().auth(),
            Auth::DevEmulator
        );
        let emu = format!(
            "DefaultEndpointsProtocol=http;AccountName=x;AccountKey={};",
            EMULATOR_KEY
        );
        assert_eq!(parse(&emu).unwrap().auth(), Auth::DevEmulator);
    }

    #[test]
    fn services() {
        // any key-shaped value: the service is told by the other parts
        let key = "c2VydmljZS10ZXN0LWtleS1ub3QtYS1yZWFsLW9uZS1qdXN0LWEtZml4dHVyZS12YWx1ZS0wMTIzNDU2Nzg5YWJj==";
        let cases = [
            (format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={key};EndpointSuffix=core.windows.net"), Service::Storage),
            (format!("AccountEndpoint=https://a.documents.azure.com:443/;AccountKey={key};"), Service::CosmosDb),
            ("Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc".into(), Service::ServiceBus),
            ("Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc;EntityPath=myeventhub".into(), Service::EventHubs),
            ("HostName=h.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=abc".into(), Service::IotHub),
            ("Endpoint=https://s.service.signalr.net;AccessKey=abc;Version=1.0;".into(), Service::SignalR),
            ("Endpoint=https://c.azconfig.io;Id=abc;Secret=def".into(), Service::AppConfig),
            ("Host=p.postgres.database.azure.com;Database=d;Username=u;Password=p".into(), Service::Postgres),
            ("Server=m.mysql.database.azure.com;Database=d;Uid=u;Pwd=p".into(), Service::MySql),
        ];
        for (s, svc) in cases {
            let cs = parse(&s).unwrap();
            assert_eq!(cs.service(), svc, "{s}");
            assert!(matches!(cs.auth(), Auth::LiteralSecret { .. }), "{s}");
        }
    }

    #[test]
    fn uris_and_redis() {
        let s = "postgresql://admin:s%40cret@p.postgres.database.azure.com:5432/db?sslmode=require";
        let cs = parse(s).unwrap();
        assert_eq!(cs.form, Form::Uri);
        assert_eq!(cs.service(), Service::Postgres);
        assert_eq!(part(&cs, s, "password"), ("s@cret", "s%40cret"));
        assert_eq!(cs.auth(), Auth::LiteralSecret { part: 1 });
        // the engine of a key=value string, from what only that engine writes
        for (text, engine) in [
            (
                "Server=db;Port=3306;Database=app;Uid=u;Pwd=p",
                Service::MySql,
            ),
            (
                "Server=db.postgres.database.azure.com;Database=app;User Id=u;Password=p",
                Service::Postgres,
            ),
            (
                "Host=db;Database=app;Username=u;Password=p",
                Service::Postgres,
            ),
            (
                "Server=tcp:db,1433;Database=app;User Id=u;Password=p",
                Service::Sql,
            ),
            (
                "Data Source=db;Initial Catalog=app;User Id=u;Password=p",
                Service::Sql,
            ),
            // fits SQL Server, MySQL and PostgreSQL clients alike: no engine's advice
            (
                "Server=db;Database=app;User Id=u;Password=p",
                Service::Other,
            ),
            (
                "Database=app;Data Source=db;User Id=u;Password=p",
                Service::Other,
            ),
        ] {
            assert_eq!(parse(text).unwrap().service(), engine, "{text}");
        }
        let m = "mongodb+srv://u:pw@c.mongo.cosmos.azure.com/?ssl=true";
        assert_eq!(parse(m).unwrap().service(), Service::CosmosMongo);
        let a = "amqps://RootManageSharedAccessKey:pw@n.servicebus.windows.net";
        assert_eq!(parse(a).unwrap().service(), Service::ServiceBus);
        let r = "rediss://:pw@r.redis.cache.windows.net:6380";
        let cs = parse(r).unwrap();
        assert_eq!(cs.service(), Service::Redis);
        assert_eq!(part(&cs, r, "password").0, "pw");
        let j = "jdbc:sqlserver://x.database.windows.net:1433;database=db;user=u;password=pw;encrypt=true";
        let cs = parse(j).unwrap();
        assert_eq!(cs.service(), Service::Sql);
        assert_eq!(part(&cs, j, "password"), ("pw", "pw"));
        let redis = "r.redis.cache.windows.net:6380,password=pw123,ssl=True,abortConnect=False";
        let cs = parse(redis).unwrap();
        assert_eq!(cs.form, Form::Redis);
        assert_eq!(cs.service(), Service::Redis);
        assert_eq!(part(&cs, redis, "password"), ("pw123", "pw123"));
        // no user info: no secret
        assert_eq!(
            parse("postgresql://p.postgres.database.azure.com/db")
                .unwrap()
                .auth(),
            Auth::NoSecret
        );
        assert!(parse("https://user:pw@example.com").is_none());
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "a=\"",
            "a={",
            "a='",
            "Server=x;Pwd={",
            "Server=x;Pwd=\"é",
            "é=é;é=é",
            "postgres://@",
            "postgres://u:%é@h",
            "postgres://u:%4",
            "x:1,password=",
            "x:1,password=\u{E000}",
            "=;=;=;Server=",
            ";;;;",
            "Server=é;Password='a''",
            "redis://:@",
            "jdbc:sqlserver://;",
        ] {
            if let Some(cs) = parse(s) {
                let _ = (cs.auth(), cs.service(), cs.user());
                for p in &cs.parts {
                    assert!(s.get(p.range.clone()).is_some(), "{s:?} {p:?}");
                    assert!(s.get(p.value_range.clone()).is_some(), "{s:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn not_connection_strings() {
        for s in [
            "hello world",
            "a=b",
            "key=value",
            "Password=abc",
            "x,y,z",
            "",
            "=;=;=",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }
}
