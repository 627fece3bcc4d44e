//! `RwLock`: many readers or one writer, with green `read` and `write`.

use core::fmt;
use core::future::Future;
use core::ops::{Deref, DerefMut};

use green_runtime::Green;

use super::{LockResult, TryLockError, TryLockResult};

/// Green version of [`std::sync::RwLock`]: `read` and `write` are green. The
/// lock is fair (a waiting writer blocks later readers, so writers are not
/// starved) and never poisoned (see the [module docs](super#poisoning)).
///
/// ```
/// use green::compat::sync::RwLock;
///
/// #[green::main]
/// fn main() {
///     let config = RwLock::new(String::from("v1"));
///     {
///         let a = config.read().unwrap();
///         let b = config.read().unwrap(); // many readers at once
///         assert_eq!(*a, *b);
///     }
///     config.write().unwrap().push_str("-patched");
///     assert_eq!(*config.read().unwrap(), "v1-patched");
/// }
/// ```
pub struct RwLock<T: ?Sized> {
    inner: tokio::sync::RwLock<T>,
}

/// Green version of [`std::sync::RwLockReadGuard`]: shared access until it
/// drops.
///
/// ```
/// use green::compat::sync::RwLock;
///
/// #[green::main]
/// fn main() {
///     let lock = RwLock::new(1);
///     let guard = lock.read().unwrap();
///     assert_eq!(*guard, 1);
/// }
/// ```
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    inner: tokio::sync::RwLockReadGuard<'a, T>,
}

/// Green version of [`std::sync::RwLockWriteGuard`]: exclusive access until
/// it drops.
///
/// ```
/// use green::compat::sync::RwLock;
///
/// #[green::main]
/// fn main() {
///     let lock = RwLock::new(1);
///     let mut guard = lock.write().unwrap();
///     *guard += 1;
///     drop(guard);
///     assert_eq!(*lock.read().unwrap(), 2);
/// }
/// ```
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    inner: tokio::sync::RwLockWriteGuard<'a, T>,
}

impl<T> RwLock<T> {
    /// As [`std::sync::RwLock::new`]: an unlocked lock holding `value`.
    ///
    /// ```
    /// use green::compat::sync::RwLock;
    ///
    /// static TABLE: RwLock<Vec<u8>> = RwLock::new(Vec::new());
    /// # green::run(async { assert!(TABLE.read().await.unwrap().is_empty()) });
    /// ```
    pub const fn new(value: T) -> Self {
        RwLock {
            inner: tokio::sync::RwLock::const_new(value),
        }
    }

    /// As [`std::sync::RwLock::into_inner`]: the value; never an error.
    ///
    /// ```
    /// let lock = green::compat::sync::RwLock::new("x");
    /// assert_eq!(lock.into_inner().unwrap(), "x");
    /// ```
    pub fn into_inner(self) -> LockResult<T> {
        Ok(self.inner.into_inner())
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Green version of [`std::sync::RwLock::read`]: waits (green) for
    /// shared access. Always `Ok`.
    ///
    /// ```
    /// use green::compat::sync::RwLock;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = RwLock::new(vec![1, 2]);
    ///     assert_eq!(lock.read().unwrap().len(), 2);
    /// }
    /// ```
    pub fn read(&self) -> Green<impl Future<Output = LockResult<RwLockReadGuard<'_, T>>>> {
        Green::new(async move {
            Ok(RwLockReadGuard {
                inner: self.inner.read().await,
            })
        })
    }

    /// Green version of [`std::sync::RwLock::write`]: waits (green) for
    /// exclusive access. Always `Ok`.
    ///
    /// ```
    /// use green::compat::sync::RwLock;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = RwLock::new(0);
    ///     *lock.write().unwrap() = 9;
    ///     assert_eq!(*lock.read().unwrap(), 9);
    /// }
    /// ```
    pub fn write(&self) -> Green<impl Future<Output = LockResult<RwLockWriteGuard<'_, T>>>> {
        Green::new(async move {
            Ok(RwLockWriteGuard {
                inner: self.inner.write().await,
            })
        })
    }

    /// As [`std::sync::RwLock::try_read`]: shared access if it is free now,
    /// else `Err(TryLockError::WouldBlock)`.
    ///
    /// ```
    /// use green::compat::sync::{RwLock, TryLockError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = RwLock::new(0);
    ///     let writer = lock.write().unwrap();
    ///     assert!(matches!(lock.try_read(), Err(TryLockError::WouldBlock)));
    ///     drop(writer);
    ///     assert!(lock.try_read().is_ok());
    /// }
    /// ```
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        match self.inner.try_read() {
            Ok(inner) => Ok(RwLockReadGuard { inner }),
            Err(_) => Err(TryLockError::WouldBlock),
        }
    }

    /// As [`std::sync::RwLock::try_write`]: exclusive access if it is free
    /// now, else `Err(TryLockError::WouldBlock)`.
    ///
    /// ```
    /// use green::compat::sync::{RwLock, TryLockError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = RwLock::new(0);
    ///     let reader = lock.read().unwrap();
    ///     assert!(matches!(lock.try_write(), Err(TryLockError::WouldBlock)));
    ///     drop(reader);
    ///     assert!(lock.try_write().is_ok());
    /// }
    /// ```
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        match self.inner.try_write() {
            Ok(inner) => Ok(RwLockWriteGuard { inner }),
            Err(_) => Err(TryLockError::WouldBlock),
        }
    }

    /// As [`std::sync::RwLock::is_poisoned`]: always `false`.
    ///
    /// ```
    /// assert!(!green::compat::sync::RwLock::new(0).is_poisoned());
    /// ```
    pub fn is_poisoned(&self) -> bool {
        false
    }

    /// As [`std::sync::RwLock::clear_poison`]: does nothing.
    ///
    /// ```
    /// green::compat::sync::RwLock::new(0).clear_poison();
    /// ```
    pub fn clear_poison(&self) {}

    /// As [`std::sync::RwLock::get_mut`]: the value through the unique
    /// borrow; never an error.
    ///
    /// ```
    /// let mut lock = green::compat::sync::RwLock::new(1);
    /// *lock.get_mut().unwrap() += 1;
    /// assert_eq!(lock.into_inner().unwrap(), 2);
    /// ```
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        Ok(self.inner.get_mut())
    }
}

impl<T: Default> Default for RwLock<T> {
    /// A lock holding `T::default()`.
    ///
    /// ```
    /// let lock: green::compat::sync::RwLock<String> = Default::default();
    /// assert!(lock.into_inner().unwrap().is_empty());
    /// ```
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    /// A lock holding `value`.
    ///
    /// ```
    /// let lock = green::compat::sync::RwLock::from(4);
    /// assert_eq!(lock.into_inner().unwrap(), 4);
    /// ```
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.inner.try_read() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.field("poisoned", &false).finish_non_exhaustive()
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
