//! `connect`: the client side, a TCP (or TLS) connection and the handshake.

use core::future::Future;

use green_compat::net::TcpStream;
use green_runtime::Green;
use tokio_tungstenite::tungstenite::Error;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::error::UrlError;
use tokio_tungstenite::tungstenite::handshake::client::Request;

use crate::client_stream::ClientStream;
use crate::config::Config;
use crate::connection::Connection;
use crate::websocket::WebSocket;

/// Opens a WebSocket to `request`: a `ws://` URL (a `&str`, a `String`, an
/// [`http::Uri`](tokio_tungstenite::tungstenite::http::Uri)), or a built
/// request for extra headers. Green: blocks the task for the name lookup,
/// the TCP connect and the handshake. The default [`Config`] applies.
///
/// `wss://` URLs need the `tls` feature and trust the Mozilla roots (see
/// [`connect_tls`] for other roots); without the feature they give
/// [`Error::Url`] ([`UrlError::TlsFeatureNotEnabled`]). A refused TCP
/// connection gives [`Error::Io`]; a server that does not upgrade gives
/// [`Error::Http`] with its response.
///
/// ```
/// use green::compat::net::TcpStream;
/// use green::server::StreamServer;
/// use green::ws::Message;
///
/// #[green::green]
/// fn hello(stream: TcpStream) -> Result<(), green::ws::Error> {
///     let mut ws = green::ws::accept(stream)?;
///     ws.send("hello")?;
///     ws.close(None)
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| hello(s))?;
///     let mut ws = green::ws::connect(format!("ws://{}/chat", server.local_addr()))?;
///     assert_eq!(ws.read()?, Message::text("hello"));
///     Ok(())
/// }
/// ```
pub fn connect<R>(request: R) -> Green<impl Future<Output = Result<WebSocket<ClientStream>, Error>>>
where
    R: IntoClientRequest + Unpin,
{
    connect_with_config(request, Config::new())
}

/// [`connect`] with the limits of `config`.
///
/// ```
/// use green::compat::net::TcpStream;
/// use green::server::StreamServer;
/// use green::ws::{CapacityError, Config, Error};
///
/// #[green::green]
/// fn flood(stream: TcpStream) -> Result<(), Error> {
///     let mut ws = green::ws::accept(stream)?;
///     ws.send(vec![7u8; 10_000])?;
///     while ws.read().is_ok() {}
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| flood(s))?;
///     let url = format!("ws://{}/", server.local_addr());
///     let mut ws = green::ws::connect_with_config(url, Config::new().max_message_size(1024))?;
///     let refused = ws.read();
///     assert!(matches!(
///         refused,
///         Err(Error::Capacity(CapacityError::MessageTooLong { size: 10_000, max_size: 1024 }))
///     ));
///     Ok(())
/// }
/// ```
pub fn connect_with_config<R>(
    request: R,
    config: Config,
) -> Green<impl Future<Output = Result<WebSocket<ClientStream>, Error>>>
where
    R: IntoClientRequest + Unpin,
{
    Green::new(async move {
        let request = request.into_client_request()?;
        let (tcp, secure) = open(&request).await?;
        let stream = if secure {
            #[cfg(feature = "tls")]
            {
                let connector = green_compat::tls::TlsConnector::new()?;
                ClientStream::Tls(Box::new(connector.connect(host(&request)?, tcp).await?))
            }
            #[cfg(not(feature = "tls"))]
            {
                drop(tcp);
                return Err(Error::Url(UrlError::TlsFeatureNotEnabled));
            }
        } else {
            ClientStream::Plain(tcp)
        };
        handshake(request, stream, config).await
    })
}

/// [`connect_with_config`] whose `wss://` connections trust what
/// `connector` trusts (its own roots, a client certificate), as
/// gevent's `ssl_context`. `ws://` URLs ignore `connector`.
///
/// ```
/// use green::compat::net::TcpListener;
/// use green::compat::tls::{TlsAcceptor, TlsConnector};
/// use green::ws::{Config, Message};
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
///     let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
///     let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes())?;
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let port = listener.local_addr()?.port();
///     let server = green::spawn(move || async move {
///         let (tcp, _) = listener.accept().await?;
///         let tls = acceptor.accept(tcp).await?;
///         let mut ws = green::ws::accept(tls).await?;
///         ws.send("secret").await?;
///         ws.close(None).await
///     });
///
///     let connector = TlsConnector::from_root_pem(cert.as_bytes())?;
///     let url = format!("wss://localhost:{port}/");
///     let mut ws = green::ws::connect_tls(url, Config::new(), &connector)?;
///     assert_eq!(ws.read()?, Message::text("secret"));
///     assert!(ws.read()?.is_close());
///     server.join().unwrap()?;
///     Ok(())
/// }
/// ```
#[cfg(feature = "tls")]
pub fn connect_tls<'a, R>(
    request: R,
    config: Config,
    connector: &'a green_compat::tls::TlsConnector,
) -> Green<impl Future<Output = Result<WebSocket<ClientStream>, Error>> + 'a>
where
    R: IntoClientRequest + Unpin + 'a,
{
    Green::new(async move {
        let request = request.into_client_request()?;
        let (tcp, secure) = open(&request).await?;
        let stream = if secure {
            ClientStream::Tls(Box::new(connector.connect(host(&request)?, tcp).await?))
        } else {
            ClientStream::Plain(tcp)
        };
        handshake(request, stream, config).await
    })
}

/// The host of the request's URI, without the brackets of an IPv6 address.
fn host(request: &Request) -> Result<&str, Error> {
    let host = request
        .uri()
        .host()
        .ok_or(Error::Url(UrlError::NoHostName))?;
    if host.is_empty() {
        return Err(Error::Url(UrlError::EmptyHostName));
    }
    Ok(host.trim_start_matches('[').trim_end_matches(']'))
}

/// The TCP connection to the request's host and port, and whether the
/// scheme asks for TLS (`wss`).
async fn open(request: &Request) -> Result<(TcpStream, bool), Error> {
    let secure = match request.uri().scheme_str() {
        Some("ws") => false,
        Some("wss") => true,
        _ => return Err(Error::Url(UrlError::UnsupportedUrlScheme)),
    };
    let port = request
        .uri()
        .port_u16()
        .unwrap_or(if secure { 443 } else { 80 });
    let tcp = TcpStream::connect((host(request)?, port)).await?;
    // A message is written whole and flushed: waiting for Nagle's timer
    // would only add latency.
    tcp.set_nodelay(true)?;
    Ok((tcp, secure))
}

/// The client handshake over an open stream.
async fn handshake(
    request: Request,
    stream: ClientStream,
    config: Config,
) -> Result<WebSocket<ClientStream>, Error> {
    let (stream, _response) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(config.to_tungstenite()))
            .await?;
    Ok(WebSocket::new(Connection::new(stream)))
}
