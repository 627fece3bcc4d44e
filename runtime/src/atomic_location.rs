//! One of the runtime's two unsafe modules (with `current_slot`): an atomic
//! `Option<&'static Location>`, so that a hub can publish the spawn site of
//! the task it polls with one plain store, and the monitor thread read it
//! while the hub is blocked.
//! (std has no safe atomic reference; a lock or an `Arc` per poll would put
//! a cost on every switch.)

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};
use std::panic::Location;

/// An atomic cell holding `None` or a `&'static Location<'static>`.
pub(crate) struct AtomicLocation(AtomicPtr<Location<'static>>);

impl AtomicLocation {
    pub(crate) const fn none() -> Self {
        AtomicLocation(AtomicPtr::new(ptr::null_mut()))
    }

    #[inline]
    pub(crate) fn store(&self, location: Option<&'static Location<'static>>, order: Ordering) {
        let raw = location.map_or(ptr::null_mut(), |at| ptr::from_ref(at).cast_mut());
        self.0.store(raw, order);
    }

    pub(crate) fn load(&self, order: Ordering) -> Option<&'static Location<'static>> {
        let raw = self.0.load(order);
        // SAFETY: `store` is the only writer, and it stores either null or a
        // pointer made from a `&'static Location<'static>`: valid for the
        // whole program, never written through (`Location` has no interior
        // mutability), and `Sync`, so any thread may hold the reference.
        unsafe { raw.as_ref() }
    }
}
