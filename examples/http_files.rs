//! A static file server on green::http: serves one directory over HTTP/1.1
//! on 127.0.0.1, the small file app a gevent user would run under pywsgi —
//! one green task per connection, blocking-looking file reads, no callbacks.
//!
//! ```text
//! cargo run --release --example http_files -- [DIR] [--port N]   # DIR, else $HTTP_FILES_ROOT, else .
//! curl -r 10-19 http://127.0.0.1:8000/Cargo.toml                 # bytes 10 to 19: 206
//! curl -I http://127.0.0.1:8000/README.md                         # the headers only
//! ```
//!
//! What it answers:
//!
//! - `GET` of a file: `200` with `Content-Length`, `Content-Type` (by the
//!   extension), `Last-Modified` and `Accept-Ranges: bytes`. The file is
//!   read with `green::compat::fs` in 64 KiB pieces and each piece written
//!   to the response's streamed body ([`Body::channel`]) by a green task of
//!   its own: a file is never read whole into memory, and a slow client
//!   makes the reading task wait.
//! - `Range: bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes):
//!   `206 Partial Content` with `Content-Range: bytes a-b/len`; an end past
//!   the file is cut to it. A range that starts past the end, `bytes=-0`, or
//!   a malformed `bytes=` header: `416` with `Content-Range: bytes */len`.
//!   A range in another unit is ignored (200). **Several ranges at once**
//!   (`bytes=0-9,20-29`) are answered with the **whole file, 200**: a server
//!   may ignore a Range header (RFC 9110 §14.2), and this one does rather
//!   than build a `multipart/byteranges` body. Range applies to `GET` only,
//!   and only if an `If-Range` sent with it is the file's `Last-Modified`
//!   (otherwise the client's copy is stale: 200, the whole file).
//! - `HEAD`: the same status and headers as `GET`, no body.
//! - A directory: a simple HTML listing (after a `301` that adds the
//!   trailing `/`, so relative links work).
//! - `404` for what is not there; `403` for a path that would leave the
//!   root: a `..` segment, also percent-encoded (`%2e%2e`, `..%2f`), or a
//!   symlink that points outside; `400` for a path that does not decode;
//!   `405` for methods other than `GET` and `HEAD`.
//!
//! tests/http_files.rs includes this file as a module and drives it with a
//! raw TCP client and with curl.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

use green::compat::fs::{self, File};
use green::compat::io::{self, Read, Seek, SeekFrom};
use green::http::header::{self, HeaderValue};
use green::http::{Body, BodyWriter, Method, Request, Response, Server, ServerHandle, StatusCode};

/// The bytes read from a file and sent as one piece of the body.
const PIECE: usize = 64 * 1024;

/// Starts serving `root` on `addr` in a new green task (what the tests
/// call; `main` serves in its own task instead).
#[green::green]
pub(crate) fn start(root: &Path, addr: SocketAddr) -> io::Result<ServerHandle> {
    let root = Rc::new(fs::canonicalize(root)?);
    let server = Server::bind(addr)?;
    server.start(move |req| serve(root.clone(), req))
}

/// The handler: answers `req` from the directory `root` (canonical).
#[green::green]
pub(crate) fn serve(root: Rc<PathBuf>, req: Request) -> Response {
    let head = match *req.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let mut refused = status(StatusCode::METHOD_NOT_ALLOWED);
            let allow = HeaderValue::from_static("GET, HEAD");
            refused.headers_mut().insert(header::ALLOW, allow);
            return refused;
        }
    };
    let path = match resolve(&root, req.uri().path()) {
        Ok(path) => path,
        Err(code) => return status(code),
    };
    let metadata = match fs::metadata(&path) {
        Ok(metadata) => metadata,
        Err(err) => return status(status_for(&err)),
    };
    if metadata.is_dir() {
        return match list(&path, req.uri().path(), path == *root, head) {
            Ok(response) => response,
            Err(err) => status(status_for(&err)),
        };
    }
    // Range is defined for GET only: HEAD and the rest ignore it.
    let range = match req.headers().get(header::RANGE) {
        Some(value) if !head && if_range_holds(&req, &metadata) => {
            parse_range(value.as_bytes(), metadata.len())
        }
        _ => RangeAnswer::Whole,
    };
    match send_file(&path, range, head) {
        Ok(response) => response,
        Err(err) => status(status_for(&err)),
    }
}

/// Serves forever on 127.0.0.1 (gevent's `serve_forever`).
#[green::main]
fn main() -> io::Result<()> {
    let mut root = std::env::var_os("HTTP_FILES_ROOT").map(PathBuf::from);
    let mut port = 8000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--port" {
            let value = args.next().unwrap_or_default();
            port = value.parse().map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidInput, format!("bad port `{value}`"))
            })?;
        } else {
            root = Some(PathBuf::from(arg));
        }
    }
    let root = Rc::new(fs::canonicalize(
        root.unwrap_or_else(|| PathBuf::from(".")),
    )?);
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
    println!(
        "serving {} on http://{}/",
        root.display(),
        server.local_addr()?
    );
    server.serve(move |req| serve(root.clone(), req))
}

// ---------------------------------------------------------------------------
// From the request's path to a file under the root.

/// The file or directory `uri_path` names under `root` (canonical), or the
/// status that refuses it. Each `/`-separated segment of the decoded path
/// must be a plain name (or empty, or `.`): a `..`, a backslash (a
/// separator elsewhere), or anything the OS reads as more than one name,
/// is refused with 403 rather than resolved. What the path finally resolves to (symlinks followed) must be
/// under the root, or 403 again.
#[green::green]
pub(crate) fn resolve(root: &Path, uri_path: &str) -> Result<PathBuf, StatusCode> {
    let decoded = percent_decode(uri_path).ok_or(StatusCode::BAD_REQUEST)?;
    let mut path = root.to_path_buf();
    for segment in decoded.split('/') {
        if segment.contains('\\') {
            return Err(StatusCode::FORBIDDEN);
        }
        let mut parts = Path::new(segment).components();
        match (parts.next(), parts.next()) {
            (None, _) | (Some(Component::CurDir), None) => {}
            (Some(Component::Normal(_)), None) => path.push(segment),
            _ => return Err(StatusCode::FORBIDDEN),
        }
    }
    let real = match fs::canonicalize(&path) {
        Ok(real) => real,
        Err(err) => return Err(status_for(&err)),
    };
    if !real.starts_with(root) {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(real)
}

/// `text` with its `%XX` escapes decoded; `None` if an escape is malformed
/// or the result is not UTF-8. `+` stays `+` (it means a space only in a
/// query string).
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    fn hex(digit: u8) -> Option<u8> {
        char::from(digit).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex(*bytes.get(i + 1)?)?;
            let low = hex(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The status for a failed file-system call on a request's path.
fn status_for(err: &io::Error) -> StatusCode {
    match err.kind() {
        io::ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        io::ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        // Not found, a file used as a directory, a name too long, ..
        _ => StatusCode::NOT_FOUND,
    }
}

// ---------------------------------------------------------------------------
// Range requests (RFC 9110 §14).

/// What a `Range` header asks of a file of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeAnswer {
    /// The whole file, 200: no range in bytes, or several ranges.
    Whole,
    /// Bytes `start..=end`, 206.
    Part { start: u64, end: u64 },
    /// 416 with `Content-Range: bytes */len`: no range satisfiable, or the
    /// header malformed.
    Unsatisfiable,
}

/// Reads a `Range` header for a file of `len` bytes. Never fails: a header
/// it cannot read is [`RangeAnswer::Unsatisfiable`] if its unit is `bytes`
/// (or it has none), and ignored ([`RangeAnswer::Whole`]) otherwise.
///
/// ```text
/// bytes=10-19    Part 10..=19        bytes=-500   the last 500 bytes
/// bytes=10-      10 to the end       bytes=5-3    Unsatisfiable (malformed)
/// bytes=0-9,20-  Whole (several)     items=0-9    Whole (another unit)
/// ```
pub(crate) fn parse_range(header: &[u8], len: u64) -> RangeAnswer {
    let Ok(text) = std::str::from_utf8(header) else {
        return RangeAnswer::Unsatisfiable;
    };
    let Some((unit, set)) = text.trim().split_once('=') else {
        return RangeAnswer::Unsatisfiable;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return RangeAnswer::Whole;
    }
    range_set(set, len).unwrap_or(RangeAnswer::Unsatisfiable)
}

/// The answer to a range set (`0-9, 20-, -5`); `None` if it is malformed.
fn range_set(set: &str, len: u64) -> Option<RangeAnswer> {
    let mut ranges = 0;
    let mut first_satisfiable = None;
    for spec in set.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (first, last) = spec.split_once('-')?;
        let satisfiable = if first.is_empty() {
            // A suffix: the last `n` bytes, all of them if the file is shorter.
            let n = position(last)?;
            (n > 0 && len > 0).then(|| (len.saturating_sub(n), len - 1))
        } else {
            let start = position(first)?;
            let end = if last.is_empty() {
                u64::MAX
            } else {
                position(last)?
            };
            if end < start {
                return None;
            }
            (start < len).then(|| (start, end.min(len - 1)))
        };
        ranges += 1;
        if first_satisfiable.is_none() {
            first_satisfiable = satisfiable;
        }
    }
    Some(match (first_satisfiable, ranges) {
        (None, _) => RangeAnswer::Unsatisfiable,
        (Some((start, end)), 1) => RangeAnswer::Part { start, end },
        (Some(_), _) => RangeAnswer::Whole,
    })
}

/// Whether the request's `If-Range` (if it has one) still names the file
/// as it is: this server gives no ETag, so only its own `Last-Modified`
/// date, byte for byte, does. When it does not, the client's copy is stale
/// and the Range is ignored: the whole file is sent.
fn if_range_holds(req: &Request, metadata: &fs::Metadata) -> bool {
    match req.headers().get(header::IF_RANGE) {
        None => true,
        Some(value) => metadata
            .modified()
            .is_ok_and(|modified| value.as_bytes() == http_date(modified).as_bytes()),
    }
}

/// A byte position: ASCII digits only (no sign, no space); one too large
/// for a u64 is as good as `u64::MAX` (past any file's end).
fn position(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------------------
// Answers.

/// The answer for the file at `path`: whole, a part, or 416; no body for
/// HEAD. The bytes are sent by a green task of their own (`copy_range`).
#[green::green]
fn send_file(path: &Path, range: RangeAnswer, head: bool) -> io::Result<Response> {
    let mut file = File::open(path)?;
    let metadata = file.metadata()?;
    let len = metadata.len();
    let (code, start, count) = match range {
        RangeAnswer::Whole => (StatusCode::OK, 0, len),
        RangeAnswer::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        RangeAnswer::Unsatisfiable => {
            let mut refused = status(StatusCode::RANGE_NOT_SATISFIABLE);
            set(
                &mut refused,
                header::CONTENT_RANGE,
                format!("bytes */{len}"),
            );
            return Ok(refused);
        }
    };
    let body = if head || count == 0 {
        Body::empty()
    } else {
        file.seek(SeekFrom::Start(start))?;
        let (writer, body) = Body::channel();
        green::spawn(move || copy_range(file, count, writer));
        body
    };
    let mut response = Response::new(body);
    *response.status_mut() = code;
    // With a Content-Length the streamed body is sent as is, not chunked.
    set(&mut response, header::CONTENT_LENGTH, count.to_string());
    set(
        &mut response,
        header::CONTENT_TYPE,
        content_type(path).to_owned(),
    );
    set(&mut response, header::ACCEPT_RANGES, "bytes".to_owned());
    if let Ok(modified) = metadata.modified() {
        set(&mut response, header::LAST_MODIFIED, http_date(modified));
    }
    if code == StatusCode::PARTIAL_CONTENT {
        let end = start + count - 1;
        let range = format!("bytes {start}-{end}/{len}");
        set(&mut response, header::CONTENT_RANGE, range);
    }
    Ok(response)
}

/// Sends the next `count` bytes of `file` into the response body, a piece
/// at a time; each send waits while the client is slow. Ends with an error
/// if the client goes away (the body is dropped) or the file got shorter
/// (the connection is then closed, as the body is shorter than its
/// Content-Length).
#[green::green]
fn copy_range(mut file: File, count: u64, mut writer: BodyWriter) -> io::Result<()> {
    let mut left = count;
    while left > 0 {
        let want = usize::try_from(left).map_or(PIECE, |left| left.min(PIECE));
        let mut piece = vec![0; want];
        let n = file.read(&mut piece)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        piece.truncate(n);
        writer.send(piece)?;
        left -= n as u64;
    }
    Ok(())
}

/// A simple HTML listing of the directory `dir`, requested as `uri_path`;
/// a `301` to `uri_path/` first if the slash is missing.
#[green::green]
fn list(dir: &Path, uri_path: &str, at_root: bool, head: bool) -> io::Result<Response> {
    if !uri_path.ends_with('/') {
        let mut moved = status(StatusCode::MOVED_PERMANENTLY);
        set(&mut moved, header::LOCATION, format!("{uri_path}/"));
        return Ok(moved);
    }
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            name.push('/');
        }
        names.push(name);
    }
    names.sort();
    if !at_root {
        names.insert(0, "../".to_owned());
    }
    let title = escape_html(&percent_decode(uri_path).unwrap_or_default());
    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of {title}</title></head>\n<body><h1>Index of {title}</h1>\n<ul>\n"
    );
    for name in &names {
        let href = percent_encode(name);
        let _ = writeln!(
            html,
            "<li><a href=\"{href}\">{}</a></li>",
            escape_html(name)
        );
    }
    html.push_str("</ul></body></html>\n");
    let len = html.len();
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(html)
    });
    set(&mut response, header::CONTENT_LENGTH, len.to_string());
    let html_type = "text/html; charset=utf-8".to_owned();
    set(&mut response, header::CONTENT_TYPE, html_type);
    Ok(response)
}

/// A response of `code` whose body is its reason phrase.
fn status(code: StatusCode) -> Response {
    let text = format!(
        "{} {}\n",
        code.as_u16(),
        code.canonical_reason().unwrap_or("")
    );
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = code;
    set(
        &mut response,
        header::CONTENT_TYPE,
        "text/plain; charset=utf-8".to_owned(),
    );
    response
}

/// Sets header `name` (the values made here are always valid).
fn set(response: &mut Response, name: header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::try_from(value) {
        response.headers_mut().insert(name, value);
    }
}

/// The Content-Type for a file name's extension (common types; anything
/// else is `application/octet-stream`).
pub(crate) fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" | "md" | "rs" | "toml" | "py" => "text/plain; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `name` as a relative link: every byte but letters, digits, `-._~` and a
/// trailing `/` percent-encoded.
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let (stem, slash) = match name.strip_suffix('/') {
        Some(stem) => (stem, "/"),
        None => (name, ""),
    };
    for byte in stem.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out.push_str(slash);
    out
}

/// `time` as an HTTP date (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(time: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, in_day) = (secs / 86_400, secs % 86_400);
    // The civil date of a day count (proleptic Gregorian calendar, eras of
    // 400 years starting on March 1st, so leap days fall at a year's end).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        in_day / 3_600,
        in_day % 3_600 / 60,
        in_day % 60,
    )
}
