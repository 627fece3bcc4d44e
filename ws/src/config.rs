//! `Config`: the limits of one WebSocket connection.

use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// The default largest message: 64 MiB, as tungstenite's.
const DEFAULT_MAX_MESSAGE: usize = 64 << 20;
/// The default largest frame payload: 16 MiB, as tungstenite's.
const DEFAULT_MAX_FRAME: usize = 16 << 20;
/// The read buffer of each connection. tungstenite allocates it eagerly and
/// defaults to 128 KiB, which for ten thousand green connections would be
/// over a gigabyte before a byte arrives; reads larger than this still work
/// (the buffer grows), they only take more than one system call.
const DEFAULT_READ_BUFFER: usize = 8 << 10;

/// The limits of a WebSocket connection, given to
/// [`accept_with_config`](crate::accept_with_config) and
/// [`connect_with_config`](crate::connect_with_config).
///
/// A message or a frame larger than its limit is refused: the
/// [`read`](crate::WebSocket::read) that meets it fails with
/// [`Error::Capacity`](crate::Error::Capacity)
/// ([`CapacityError::MessageTooLong`](crate::CapacityError::MessageTooLong))
/// and the connection is unusable afterwards. The defaults are
/// tungstenite's: 64 MiB per message, 16 MiB per frame.
///
/// ```
/// use green::ws::Config;
///
/// let config = Config::new().max_message_size(1 << 20).max_frame_size(64 << 10);
/// assert_eq!(config.get_max_message_size(), Some(1 << 20));
/// assert_eq!(config.get_max_frame_size(), Some(64 << 10));
/// assert_eq!(Config::default().get_max_message_size(), Some(64 << 20));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Config {
    max_message_size: Option<usize>,
    max_frame_size: Option<usize>,
    read_buffer_size: usize,
}

impl Config {
    /// The defaults: 64 MiB per message, 16 MiB per frame, an 8 KiB read
    /// buffer.
    ///
    /// ```
    /// let config = green::ws::Config::new();
    /// assert_eq!(config.get_max_frame_size(), Some(16 << 20));
    /// ```
    pub fn new() -> Config {
        Config {
            max_message_size: Some(DEFAULT_MAX_MESSAGE),
            max_frame_size: Some(DEFAULT_MAX_FRAME),
            read_buffer_size: DEFAULT_READ_BUFFER,
        }
    }

    /// Sets the largest incoming message, in bytes (the payloads of all its
    /// frames together).
    ///
    /// ```
    /// let config = green::ws::Config::new().max_message_size(4096);
    /// assert_eq!(config.get_max_message_size(), Some(4096));
    /// ```
    pub fn max_message_size(mut self, bytes: usize) -> Config {
        self.max_message_size = Some(bytes);
        self
    }

    /// Sets the largest incoming frame payload, in bytes.
    ///
    /// ```
    /// let config = green::ws::Config::new().max_frame_size(1024);
    /// assert_eq!(config.get_max_frame_size(), Some(1024));
    /// ```
    pub fn max_frame_size(mut self, bytes: usize) -> Config {
        self.max_frame_size = Some(bytes);
        self
    }

    /// Removes both size limits: a peer may then make this side buffer a
    /// message of any size. For trusted peers only.
    ///
    /// ```
    /// let config = green::ws::Config::new().unlimited();
    /// assert_eq!(config.get_max_message_size(), None);
    /// assert_eq!(config.get_max_frame_size(), None);
    /// ```
    pub fn unlimited(mut self) -> Config {
        self.max_message_size = None;
        self.max_frame_size = None;
        self
    }

    /// Sets the size of the read buffer each connection allocates up front
    /// (8 KiB by default; larger suits few connections with heavy traffic).
    ///
    /// ```
    /// let config = green::ws::Config::new().read_buffer_size(64 << 10);
    /// assert_eq!(config.get_read_buffer_size(), 64 << 10);
    /// ```
    pub fn read_buffer_size(mut self, bytes: usize) -> Config {
        self.read_buffer_size = bytes;
        self
    }

    /// The largest incoming message, `None` for no limit.
    ///
    /// ```
    /// assert_eq!(green::ws::Config::new().get_max_message_size(), Some(64 << 20));
    /// ```
    pub fn get_max_message_size(&self) -> Option<usize> {
        self.max_message_size
    }

    /// The largest incoming frame payload, `None` for no limit.
    ///
    /// ```
    /// assert_eq!(green::ws::Config::new().get_max_frame_size(), Some(16 << 20));
    /// ```
    pub fn get_max_frame_size(&self) -> Option<usize> {
        self.max_frame_size
    }

    /// The read buffer's size.
    ///
    /// ```
    /// assert_eq!(green::ws::Config::new().get_read_buffer_size(), 8 << 10);
    /// ```
    pub fn get_read_buffer_size(&self) -> usize {
        self.read_buffer_size
    }

    /// tungstenite's configuration with these limits.
    pub(crate) fn to_tungstenite(self) -> WebSocketConfig {
        WebSocketConfig::default()
            .max_message_size(self.max_message_size)
            .max_frame_size(self.max_frame_size)
            .read_buffer_size(self.read_buffer_size)
    }
}

impl Default for Config {
    /// As [`Config::new`].
    fn default() -> Config {
        Config::new()
    }
}
