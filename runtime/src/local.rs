//! Green-task-local storage: `local!` (gevent's `gevent.local.local`).

use core::cell::{Cell, RefCell};
use core::fmt;
use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;

use crate::hub;

/// The `local!` values of one task, keyed by the address of their key.
#[derive(Default)]
pub(crate) struct Locals {
    pub(crate) values: HashMap<usize, Rc<dyn Any>>,
}

/// Declares green-task-local values, as `std::thread_local!` declares
/// thread-local ones: each green task sees its own value, made by the
/// initializer on the task's first access and dropped when the task ends.
/// A spawned task does not inherit its spawner's value. Code outside any
/// spawned task (the work given to `green::run`, or no hub at all) uses the
/// thread's main task, whose values live as long as the thread.
///
/// ```
/// use std::cell::Cell;
///
/// green::local! {
///     static REQUEST_ID: Cell<u32> = Cell::new(0);
/// }
///
/// #[green::main]
/// fn main() {
///     REQUEST_ID.set(7);
///     let other = green::spawn(|| async { REQUEST_ID.get() });
///     assert_eq!(other.join(), Ok(0)); // its own value, not inherited
///     assert_eq!(REQUEST_ID.get(), 7);
/// }
/// ```
#[macro_export]
macro_rules! local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        $(#[$attr])* $vis static $name: $crate::LocalKey<$t> = $crate::LocalKey::new({
            fn __green_local_init() -> $t {
                $init
            }
            __green_local_init
        });
        $crate::local!($($rest)*);
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr) => {
        $crate::local!($(#[$attr])* $vis static $name: $t = $init;);
    };
}

/// A key to a green-task-local value, declared with [`local!`](crate::local!).
///
/// ```
/// use std::cell::RefCell;
///
/// green::local! {
///     static LOG: RefCell<Vec<&'static str>> = RefCell::new(Vec::new());
/// }
///
/// #[green::main]
/// fn main() {
///     LOG.with_borrow_mut(|log| log.push("main"));
///     LOG.with_borrow(|log| assert_eq!(log, &["main"]));
/// }
/// ```
pub struct LocalKey<T: 'static> {
    init: fn() -> T,
}

impl<T: 'static> fmt::Debug for LocalKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LocalKey { .. }")
    }
}

impl<T: 'static> LocalKey<T> {
    #[doc(hidden)]
    pub const fn new(init: fn() -> T) -> Self {
        LocalKey { init }
    }

    /// Calls `f` with the running task's value, made first if this is the
    /// task's first access.
    ///
    /// ```
    /// green::local! {
    ///     static NAME: String = String::from("unnamed");
    /// }
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert_eq!(NAME.with(|name| name.len()), 7);
    /// }
    /// ```
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        let task = hub::current_task();
        let header = task.header();
        let key = core::ptr::from_ref(self) as usize;
        let existing = header.local(key);
        let value = match existing {
            Some(value) => value,
            None => {
                // Made without a borrow held: the initializer may read other
                // task-locals.
                let value: Rc<dyn Any> = Rc::new((self.init)());
                header.set_local(key, value.clone());
                value
            }
        };
        let value = value
            .downcast_ref::<T>()
            .expect("a local! key always stores its own type");
        f(value)
    }
}

impl<T: Copy + 'static> LocalKey<Cell<T>> {
    /// A copy of the running task's value.
    ///
    /// ```
    /// use std::cell::Cell;
    ///
    /// green::local! {
    ///     static HITS: Cell<u32> = Cell::new(1);
    /// }
    ///
    /// assert_eq!(HITS.get(), 1);
    /// ```
    pub fn get(&'static self) -> T {
        self.with(Cell::get)
    }

    /// Sets the running task's value.
    ///
    /// ```
    /// use std::cell::Cell;
    ///
    /// green::local! {
    ///     static HITS: Cell<u32> = Cell::new(0);
    /// }
    ///
    /// HITS.set(3);
    /// assert_eq!(HITS.get(), 3);
    /// ```
    pub fn set(&'static self, value: T) {
        self.with(|cell| cell.set(value));
    }
}

impl<T: 'static> LocalKey<RefCell<T>> {
    /// Calls `f` with a shared borrow of the running task's value.
    ///
    /// ```
    /// use std::cell::RefCell;
    ///
    /// green::local! {
    ///     static ITEMS: RefCell<Vec<u8>> = RefCell::new(vec![1]);
    /// }
    ///
    /// assert_eq!(ITEMS.with_borrow(|items| items.len()), 1);
    /// ```
    pub fn with_borrow<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        self.with(|cell| f(&cell.borrow()))
    }

    /// Calls `f` with a mutable borrow of the running task's value.
    ///
    /// ```
    /// use std::cell::RefCell;
    ///
    /// green::local! {
    ///     static ITEMS: RefCell<Vec<u8>> = RefCell::new(Vec::new());
    /// }
    ///
    /// ITEMS.with_borrow_mut(|items| items.push(2));
    /// assert_eq!(ITEMS.with_borrow(|items| items.clone()), [2]);
    /// ```
    pub fn with_borrow_mut<R>(&'static self, f: impl FnOnce(&mut T) -> R) -> R {
        self.with(|cell| f(&mut cell.borrow_mut()))
    }
}
