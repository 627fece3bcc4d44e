//! The deadlock report (gevent's `LoopExit`): when the hub has nothing left
//! to run and every task, main included, is parked in a green wait that only
//! another task of the hub could end, the main task's wait panics with the
//! list of tasks instead of hanging.
//!
//! The check runs when the hub is about to sleep (tokio's `on_thread_park`
//! hook of the hub's runtime): then no task is ready, so a task parked in a
//! green wait has not been woken, and none will be: the tasks that could
//! wake it are parked too. A task waiting on I/O, a timer, a thread or a
//! foreign future is not parked in a green wait, so while one lives the
//! check never fires; nor while the main task's wait has a timer.

use crate::parked;
use crate::run_info::{collect, table};

/// The first words of the panic.
pub(crate) const MESSAGE: &str = "this would block forever";

/// Called by the hub's runtime on its thread just before it sleeps.
pub(crate) fn hub_idle() {
    if parked::all_parked() {
        parked::flag_deadlock();
    }
}

/// Panics in the main task's wait with the report.
pub(crate) fn report_and_panic() -> ! {
    // The main task is shown waiting, as it is.
    let tasks = collect(None);
    match crate::hub::describe() {
        None => panic!(
            "{MESSAGE}: every task of this hub waits on another task of this hub \
             and none is left to wake them (gevent's LoopExit). {} tasks:\n{}",
            tasks.len(),
            table(&tasks)
        ),
        // One of several hubs: tasks of other hubs cannot wake these either
        // (a hub's green waits are woken only by its own tasks).
        Some(hub) => panic!(
            "{MESSAGE}: every task of {hub} waits on another task of that hub \
             and none is left to wake them (gevent's LoopExit). {} tasks:\n{}",
            tasks.len(),
            table(&tasks)
        ),
    }
}
