//! The runtime's second unsafe module (with `atomic_location`): where a hub keeps the task it is
//! polling, as a pointer borrowed from the poll instead of an `Rc` clone.
//!
//! Every green task poll marks its task as the running one, so that
//! `green::current()`, the panic hook and timeouts can find it. Keeping an
//! `Rc` for that meant a reference-count bump and drop, a `RefCell` and a
//! thread-local with a destructor (whose every access checks whether it was
//! registered yet) on every poll. The poll already holds its task's `Rc` for
//! as long as it runs, so the slot only needs to point at that handle: one
//! store on entry and one on exit. The handle is cloned only when someone
//! asks for the running task, which is rare. The slot is private to this
//! module, so nothing else can put a pointer in it.

use core::ptr::NonNull;
use std::cell::Cell;
use std::rc::Rc;

use crate::task::AnyTask;

/// A task's `Rc` handle, seen without its type: what the slot points at.
trait Handle {
    fn to_rc(&self) -> Rc<dyn AnyTask>;
}

impl<T: AnyTask + 'static> Handle for Rc<T> {
    fn to_rc(&self) -> Rc<dyn AnyTask> {
        self.clone()
    }
}

thread_local! {
    /// The handle of the spawned task being polled on this thread; `None`
    /// outside a spawned task's poll (in the main task, outside a hub).
    /// `const` and without a destructor: each access is a plain address
    /// computation, with no first-use check, and it stays readable while
    /// the thread exits.
    static RUNNING: Cell<Option<NonNull<dyn Handle>>> = const { Cell::new(None) };
}

/// Runs `f` with `task` as the running task, then puts back the one there
/// was before (also when `f` unwinds).
///
/// The slot is set and restored by two small thread-local accesses around
/// `f`, not inside one `with` around it: `f` is a whole task poll, and a
/// `with` that large is not inlined, which costs an indirect call to reach
/// the thread-local.
#[inline]
pub(crate) fn enter<T: AnyTask + 'static, R>(task: &Rc<T>, f: impl FnOnce() -> R) -> R {
    // The object is `'static` (`T` is); only the borrow is not.
    let handle: &(dyn Handle + 'static) = task;
    let previous = RUNNING.replace(Some(NonNull::from(handle)));
    let _restore = Restore { previous };
    f()
}

/// Puts the previous task back, on return and on unwind alike.
struct Restore {
    previous: Option<NonNull<dyn Handle>>,
}

impl Drop for Restore {
    #[inline]
    fn drop(&mut self) {
        RUNNING.set(self.previous);
    }
}

/// True while a spawned task runs (inside [`enter`]).
#[inline]
pub(crate) fn is_set() -> bool {
    RUNNING.get().is_some()
}

/// The running spawned task, if any.
pub(crate) fn get() -> Option<Rc<dyn AnyTask>> {
    let handle = RUNNING.get()?;
    // SAFETY: the slot holds a pointer only inside `enter`, which stored it
    // from `task: &Rc<T>` and puts the previous value back before returning
    // or unwinding out (the `Restore` guard is private to `enter`: no caller
    // can forget it). That borrow outlives the call, so the `Rc` handle
    // pointed at is alive and unmoved, and no `&mut` to it exists: reading
    // it through a shared reference is what the caller of `enter` could do
    // itself. A nested `enter` (a poll inside a poll) stores its own handle
    // and restores the outer one, whose borrow is still live, in LIFO
    // order. The slot is thread-local, and so is every `Rc` put in it.
    let handle = unsafe { handle.as_ref() };
    Some(handle.to_rc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Header;

    struct Fake(Header);

    impl AnyTask for Fake {
        fn header(&self) -> &Header {
            &self.0
        }
    }

    #[test]
    fn empty_outside_enter() {
        assert!(!is_set());
        assert!(get().is_none());
    }

    #[test]
    fn enter_sets_and_restores_in_order() {
        let outer = Rc::new(Fake(Header::new(None)));
        let inner = Rc::new(Fake(Header::new(None)));
        enter(&outer, || {
            assert_eq!(get().unwrap().header().id(), outer.0.id());
            enter(&inner, || {
                let running = get().unwrap();
                assert_eq!(running.header().id(), inner.0.id());
                // A clone the caller keeps, as `green::current()` gives.
                assert_eq!(Rc::strong_count(&inner), 2);
            });
            assert_eq!(Rc::strong_count(&inner), 1);
            assert_eq!(get().unwrap().header().id(), outer.0.id());
        });
        assert!(!is_set());
    }

    #[test]
    fn restores_on_unwind() {
        let task = Rc::new(Fake(Header::new(None)));
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            enter(&task, || {
                assert!(is_set());
                panic!("boom");
            })
        }));
        assert!(unwound.is_err());
        assert!(!is_set());
    }
}
