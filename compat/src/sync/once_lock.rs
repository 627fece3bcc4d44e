//! `OnceLock`: a value set once, whose initialiser may run green code.

use core::fmt;
use core::future::{Future, IntoFuture};

use green_runtime::Green;

/// Green version of [`std::sync::OnceLock`]: a cell written once. Its
/// initialiser, given to [`get_or_init`](OnceLock::get_or_init), returns
/// *green work* (a call of a `#[green]` fn, a `#[green]` closure or an async
/// block), so it may sleep, read files or talk to the network; tasks that ask
/// meanwhile wait (green) for that one initialisation.
///
/// If the initialiser panics or is cancelled, the cell stays empty and the
/// next caller runs its own initialiser.
///
/// ```
/// use green::compat::sync::OnceLock;
///
/// static CONFIG: OnceLock<String> = OnceLock::new();
///
/// #[green::green]
/// fn load() -> String {
///     green::idle(); // any green work: a file, a socket ...
///     "loaded".to_owned()
/// }
///
/// #[green::main]
/// fn main() {
///     assert_eq!(CONFIG.get_or_init(|| load()), "loaded");
///     assert_eq!(CONFIG.get().map(String::as_str), Some("loaded"));
/// }
/// ```
pub struct OnceLock<T> {
    inner: tokio::sync::OnceCell<T>,
}

impl<T> OnceLock<T> {
    /// As [`std::sync::OnceLock::new`]: an empty cell.
    ///
    /// ```
    /// static CELL: green::compat::sync::OnceLock<u32> = green::compat::sync::OnceLock::new();
    /// assert!(CELL.get().is_none());
    /// ```
    pub const fn new() -> Self {
        OnceLock {
            inner: tokio::sync::OnceCell::const_new(),
        }
    }

    /// As [`std::sync::OnceLock::get`]: the value if it is set; never waits.
    ///
    /// ```
    /// let cell = green::compat::sync::OnceLock::new();
    /// assert_eq!(cell.get(), None);
    /// cell.set(1).unwrap();
    /// assert_eq!(cell.get(), Some(&1));
    /// ```
    pub fn get(&self) -> Option<&T> {
        self.inner.get()
    }

    /// As [`std::sync::OnceLock::get_mut`].
    ///
    /// ```
    /// let mut cell = green::compat::sync::OnceLock::from(1);
    /// *cell.get_mut().unwrap() += 1;
    /// assert_eq!(cell.get(), Some(&2));
    /// ```
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.inner.get_mut()
    }

    /// As [`std::sync::OnceLock::set`]: sets the value if the cell is empty
    /// (and no initialiser is running), else gives `value` back.
    ///
    /// ```
    /// let cell = green::compat::sync::OnceLock::new();
    /// assert_eq!(cell.set("first"), Ok(()));
    /// assert_eq!(cell.set("second"), Err("second"));
    /// ```
    pub fn set(&self, value: T) -> Result<(), T> {
        self.inner.set(value).map_err(|err| match err {
            tokio::sync::SetError::AlreadyInitializedError(value)
            | tokio::sync::SetError::InitializingError(value) => value,
        })
    }

    /// Green version of [`std::sync::OnceLock::get_or_init`]: the value,
    /// running `f`'s green work to make it if the cell is empty. Only one
    /// initialiser runs at a time; the other callers wait (green) for it.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use std::cell::Cell;
    /// use green::compat::sync::OnceLock;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let cell = Rc::new(OnceLock::new());
    ///     let runs = Rc::new(Cell::new(0));
    ///     let tasks: Vec<_> = (0..5).map(|_| {
    ///         let (cell, runs) = (cell.clone(), runs.clone());
    ///         green::spawn(move || async move {
    ///             *cell.get_or_init(|| async {
    ///                 runs.set(runs.get() + 1);
    ///                 green::idle().await;
    ///                 7
    ///             }).await
    ///         })
    ///     }).collect();
    ///     assert!(green::joinall(tasks).into_iter().all(|r| r == Ok(7)));
    ///     assert_eq!(runs.get(), 1);
    /// }
    /// ```
    pub fn get_or_init<F, G>(&self, f: F) -> Green<impl Future<Output = &T>>
    where
        F: FnOnce() -> G,
        G: IntoFuture<Output = T>,
    {
        Green::new(self.inner.get_or_init(move || f().into_future()))
    }

    /// As `std::sync::OnceLock::get_or_try_init` (unstable in std): as
    /// [`get_or_init`](OnceLock::get_or_init), but an initialiser that fails
    /// leaves the cell empty and gives its error.
    ///
    /// ```
    /// use green::compat::sync::OnceLock;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let cell: OnceLock<u32> = OnceLock::new();
    ///     assert_eq!(cell.get_or_try_init(|| async { Err("offline") }), Err("offline"));
    ///     assert_eq!(cell.get_or_try_init(|| async { Ok::<_, &str>(3) }), Ok(&3));
    /// }
    /// ```
    pub fn get_or_try_init<F, G, E>(&self, f: F) -> Green<impl Future<Output = Result<&T, E>>>
    where
        F: FnOnce() -> G,
        G: IntoFuture<Output = Result<T, E>>,
    {
        Green::new(self.inner.get_or_try_init(move || f().into_future()))
    }

    /// As [`std::sync::OnceLock::into_inner`].
    ///
    /// ```
    /// let cell = green::compat::sync::OnceLock::from("v");
    /// assert_eq!(cell.into_inner(), Some("v"));
    /// ```
    pub fn into_inner(self) -> Option<T> {
        self.inner.into_inner()
    }

    /// As [`std::sync::OnceLock::take`]: empties the cell.
    ///
    /// ```
    /// let mut cell = green::compat::sync::OnceLock::from(1);
    /// assert_eq!(cell.take(), Some(1));
    /// assert_eq!(cell.get(), None);
    /// ```
    pub fn take(&mut self) -> Option<T> {
        self.inner.take()
    }
}

impl<T> Default for OnceLock<T> {
    /// An empty cell.
    ///
    /// ```
    /// let cell: green::compat::sync::OnceLock<u8> = Default::default();
    /// assert!(cell.get().is_none());
    /// ```
    fn default() -> Self {
        OnceLock::new()
    }
}

impl<T> From<T> for OnceLock<T> {
    /// A cell already holding `value`.
    ///
    /// ```
    /// let cell = green::compat::sync::OnceLock::from(9);
    /// assert_eq!(cell.get(), Some(&9));
    /// ```
    fn from(value: T) -> Self {
        OnceLock {
            inner: tokio::sync::OnceCell::new_with(Some(value)),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("OnceLock");
        match self.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}
