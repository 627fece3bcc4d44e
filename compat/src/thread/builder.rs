//! `Builder`: spawning a named green task.

use std::io;

use core::future::IntoFuture;

use green_runtime::Work;

use super::{JoinHandle, Scope, ScopedJoinHandle};

/// Green version of [`std::thread::Builder`]: sets up a green task before
/// spawning it.
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let handle = thread::Builder::new()
///         .name("fetcher".to_string())
///         .spawn(|| async { 7 })?;
///     assert_eq!(handle.thread().name(), Some("fetcher"));
///     assert_eq!(handle.join().unwrap(), 7);
///     Ok(())
/// }
/// ```
#[derive(Debug, Default)]
#[must_use = "must eventually spawn the task"]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    /// A builder with no name set. As [`std::thread::Builder::new`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::Builder::new().spawn(|| async { 1 }).unwrap();
    ///     assert_eq!(handle.join().unwrap(), 1);
    /// }
    /// ```
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the task: the name shows in [`Thread::name`](super::Thread::name)
    /// and in the report of a panic. As [`std::thread::Builder::name`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::Builder::new()
    ///         .name("named".into())
    ///         .spawn(|| async { thread::current().name().map(String::from) })
    ///         .unwrap();
    ///     assert_eq!(handle.join().unwrap().as_deref(), Some("named"));
    /// }
    /// ```
    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    /// Accepted for compatibility and ignored: a green task has no stack of
    /// its own. As [`std::thread::Builder::stack_size`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::Builder::new().stack_size(1 << 20).spawn(|| async {}).unwrap();
    ///     handle.join().unwrap();
    /// }
    /// ```
    pub fn stack_size(self, size: usize) -> Builder {
        let _ = size;
        self
    }

    /// Starts `f` as a green task with this builder's settings, as
    /// [`spawn`](super::spawn). Always `Ok`: the `io::Result` is std's
    /// signature (creating a green task cannot fail). As
    /// [`std::thread::Builder::spawn`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = thread::Builder::new().spawn(|| async { "spawned" })?;
    ///     assert_eq!(handle.join().unwrap(), "spawned");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// Panics if called outside a hub, as [`spawn`](super::spawn).
    #[track_caller]
    pub fn spawn<F, G>(self, f: F) -> io::Result<JoinHandle<G::Output>>
    where
        F: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        Ok(JoinHandle::spawn(f, self.name))
    }

    /// Spawns `f` in `scope`, as [`Scope::spawn`]. Always `Ok`. As
    /// [`std::thread::Builder::spawn_scoped`]; the name is not kept:
    /// scoped work runs inside the task that called
    /// [`scope`](super::scope), not as a task of its own.
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let text = String::from("borrowed");
    ///     let len = thread::scope(async |s| {
    ///         let handle = thread::Builder::new()
    ///             .name("scoped".into())
    ///             .spawn_scoped(s, || async { text.len() })
    ///             .unwrap();
    ///         handle.join().unwrap()
    ///     });
    ///     assert_eq!(len, 8);
    /// }
    /// ```
    pub fn spawn_scoped<'scope, 'env, F, G>(
        self,
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> io::Result<ScopedJoinHandle<'scope, G::Output>>
    where
        F: Work<G> + 'env,
        G: IntoFuture + 'env,
        G::Output: 'env,
    {
        Ok(scope.spawn(f))
    }
}
