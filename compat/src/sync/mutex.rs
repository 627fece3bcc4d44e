//! `Mutex`: mutual exclusion whose `lock` is green.

use core::fmt;
use core::future::Future;
use core::ops::{Deref, DerefMut};

use green_runtime::Green;

use super::{LockResult, TryLockError, TryLockResult};

/// Green version of [`std::sync::Mutex`]: `lock` is green, waiters are served
/// in FIFO order, and the lock is never poisoned (see the
/// [module docs](super#poisoning)).
///
/// ```
/// use green::compat::sync::Mutex;
///
/// #[green::main]
/// fn main() {
///     let counter = Mutex::new(0);
///     *counter.lock().unwrap() += 1;
///     assert_eq!(*counter.lock().unwrap(), 1);
/// }
/// ```
pub struct Mutex<T: ?Sized> {
    inner: tokio::sync::Mutex<T>,
}

/// Green version of [`std::sync::MutexGuard`]: the lock is held until this
/// drops; it may be held across green calls.
///
/// ```
/// use green::compat::sync::Mutex;
///
/// #[green::main]
/// fn main() {
///     let names = Mutex::new(Vec::new());
///     let mut guard = names.lock().unwrap();
///     guard.push("green");
///     drop(guard);
///     assert_eq!(names.lock().unwrap().len(), 1);
/// }
/// ```
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MutexGuard<'a, T: ?Sized> {
    pub(super) mutex: &'a Mutex<T>,
    inner: tokio::sync::MutexGuard<'a, T>,
}

impl<T> Mutex<T> {
    /// As [`std::sync::Mutex::new`]: an unlocked mutex holding `value`.
    ///
    /// ```
    /// use green::compat::sync::Mutex;
    ///
    /// static GLOBAL: Mutex<u32> = Mutex::new(7);
    /// # green::run(async { assert_eq!(*GLOBAL.lock().await.unwrap(), 7) });
    /// ```
    pub const fn new(value: T) -> Self {
        Mutex {
            inner: tokio::sync::Mutex::const_new(value),
        }
    }

    /// As [`std::sync::Mutex::into_inner`]: the value; never an error.
    ///
    /// ```
    /// let mutex = green::compat::sync::Mutex::new(3);
    /// assert_eq!(mutex.into_inner().unwrap(), 3);
    /// ```
    pub fn into_inner(self) -> LockResult<T> {
        Ok(self.inner.into_inner())
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Green version of [`std::sync::Mutex::lock`]: waits (green) until the
    /// lock is free and takes it. Always `Ok`: the lock is never poisoned.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// use green::compat::sync::Mutex;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let shared = Rc::new(Mutex::new(String::new()));
    ///     let guard = shared.lock().unwrap();
    ///     let waiter = {
    ///         let shared = shared.clone();
    ///         green::spawn(move || async move { shared.lock().await.unwrap().push_str("second") })
    ///     };
    ///     green::sleep(Duration::from_millis(10)); // the waiter is blocked meanwhile
    ///     drop(guard);
    ///     waiter.join().unwrap();
    ///     assert_eq!(*shared.lock().unwrap(), "second");
    /// }
    /// ```
    pub fn lock(&self) -> Green<impl Future<Output = LockResult<MutexGuard<'_, T>>>> {
        Green::new(async move { Ok(self.lock_now().await) })
    }

    pub(super) async fn lock_now(&self) -> MutexGuard<'_, T> {
        MutexGuard {
            mutex: self,
            inner: self.inner.lock().await,
        }
    }

    /// As [`std::sync::Mutex::try_lock`]: takes the lock if it is free, else
    /// `Err(TryLockError::WouldBlock)`.
    ///
    /// ```
    /// use green::compat::sync::{Mutex, TryLockError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mutex = Mutex::new(());
    ///     let guard = mutex.try_lock().unwrap();
    ///     assert!(matches!(mutex.try_lock(), Err(TryLockError::WouldBlock)));
    ///     drop(guard);
    ///     assert!(mutex.try_lock().is_ok());
    /// }
    /// ```
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        match self.inner.try_lock() {
            Ok(inner) => Ok(MutexGuard { mutex: self, inner }),
            Err(_) => Err(TryLockError::WouldBlock),
        }
    }

    /// As [`std::sync::Mutex::is_poisoned`]: always `false` (green locks are
    /// never poisoned).
    ///
    /// ```
    /// assert!(!green::compat::sync::Mutex::new(0).is_poisoned());
    /// ```
    pub fn is_poisoned(&self) -> bool {
        false
    }

    /// As [`std::sync::Mutex::clear_poison`]: does nothing (green locks are
    /// never poisoned).
    ///
    /// ```
    /// green::compat::sync::Mutex::new(0).clear_poison();
    /// ```
    pub fn clear_poison(&self) {}

    /// As [`std::sync::Mutex::get_mut`]: the value, through the unique
    /// borrow; never an error.
    ///
    /// ```
    /// let mut mutex = green::compat::sync::Mutex::new(1);
    /// *mutex.get_mut().unwrap() = 2;
    /// assert_eq!(mutex.into_inner().unwrap(), 2);
    /// ```
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        Ok(self.inner.get_mut())
    }
}

impl<T: Default> Default for Mutex<T> {
    /// A mutex holding `T::default()`.
    ///
    /// ```
    /// let mutex: green::compat::sync::Mutex<u8> = Default::default();
    /// assert_eq!(mutex.into_inner().unwrap(), 0);
    /// ```
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    /// A mutex holding `value`.
    ///
    /// ```
    /// let mutex = green::compat::sync::Mutex::from(5);
    /// assert_eq!(mutex.into_inner().unwrap(), 5);
    /// ```
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.inner.try_lock() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.field("poisoned", &false).finish_non_exhaustive()
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
