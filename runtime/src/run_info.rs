//! Run info (gevent's `print_run_info`): the live tasks of the hub, what
//! each is doing and where it was spawned.

use core::fmt;
use std::panic::Location;

use crate::hub;
use crate::parked::{self, Wait};
use crate::task::TaskId;

/// One live green task of the hub, as [`tasks`] sees it.
///
/// ```
/// #[green::main]
/// fn main() {
///     let event = green::Event::new();
///     let waiter = {
///         let event = event.clone();
///         green::spawn(move || async move { event.wait().await })
///     };
///     waiter.set_name("waiter");
///     green::idle();
///     let info = green::tasks().into_iter().find(|t| t.name == "waiter").unwrap();
///     assert_eq!(info.state, green::TaskState::Waiting);
///     assert_eq!(info.waiting_on.unwrap().what, "Event::wait");
///     event.set();
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskInfo {
    /// The task's id.
    pub id: TaskId,
    /// The task's name ("MainGreenlet" for the main task).
    pub name: String,
    /// What the task is doing, as far as the hub can tell.
    pub state: TaskState,
    /// Where the task was spawned; `None` for the main task.
    pub spawned_at: Option<&'static Location<'static>>,
    /// The green wait the task is parked in, if any.
    pub waiting_on: Option<WaitingOn>,
    /// The hub the task runs on, as [`hub_index`](crate::hub_index): 0 on a
    /// lone hub.
    pub hub: usize,
}

/// What a task is doing, as far as the hub can tell.
///
/// A task not running is either parked in a green wait (a queue, an event,
/// a lock, a join, a sleep: the hub knows which) or suspended on something
/// the hub does not see: ready to run on its next turn, or waiting on I/O, a
/// thread (`spawn_blocking`, compat's cross-thread sync) or a foreign
/// future.
///
/// ```
/// #[green::main]
/// fn main() {
///     let me = green::tasks().into_iter().find(|t| t.id == green::current().id()).unwrap();
///     assert_eq!(me.state, green::TaskState::Running);
///     assert_eq!(me.state.to_string(), "running");
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// The task asking (the one that called [`tasks`]).
    Running,
    /// Parked in a green wait: a queue, an event, a lock, a join, .. (with
    /// or without a timeout: see [`WaitingOn::timeout`]).
    Waiting,
    /// In [`sleep`](crate::sleep).
    Sleeping,
    /// Not in a green wait: ready to run, or waiting on I/O, a thread or a
    /// foreign future.
    Suspended,
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskState::Running => "running",
            TaskState::Waiting => "waiting",
            TaskState::Sleeping => "sleeping",
            TaskState::Suspended => "suspended",
        })
    }
}

/// The green wait a task is parked in: the call and where it was made.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let queue: green::Queue<u32> = green::Queue::new();
///     let getter = {
///         let queue = queue.clone();
///         green::spawn(move || async move { queue.get_timeout(Duration::from_secs(60)).await })
///     };
///     green::idle();
///     let info = green::tasks().into_iter().find(|t| t.id == getter.id()).unwrap();
///     let wait = info.waiting_on.unwrap();
///     assert_eq!(wait.what, "Queue::get_timeout");
///     assert!(wait.timeout);
///     assert_eq!(wait.at.file(), file!());
///     assert!(wait.to_string().starts_with("Queue::get_timeout at "));
///     queue.put(1).await;
///     getter.join().unwrap().unwrap();
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitingOn {
    /// The call: "Queue::get", "Event::wait", "Greenlet::join", "sleep", ..
    pub what: &'static str,
    /// Where it was called.
    pub at: &'static Location<'static>,
    /// True if a timer ends the wait: a `*_timeout` call, a wait inside
    /// [`timeout`](crate::timeout), or a sleep.
    pub timeout: bool,
}

impl From<Wait> for WaitingOn {
    fn from(wait: Wait) -> Self {
        WaitingOn {
            what: wait.what.name(),
            at: wait.at,
            timeout: wait.timed,
        }
    }
}

impl fmt::Display for WaitingOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.what, self.at.file(), self.at.line())
    }
}

/// The live green tasks of the current hub, the main task first, then by id
/// (gevent's `print_run_info`, as data). Empty outside a hub.
///
/// ```
/// #[green::main]
/// fn main() {
///     let worker = green::spawn(|| green::sleep(std::time::Duration::from_secs(60)));
///     green::idle();
///     let tasks = green::tasks();
///     assert_eq!(tasks[0].name, "MainGreenlet");
///     let info = tasks.iter().find(|t| t.id == worker.id()).unwrap();
///     assert_eq!(info.state, green::TaskState::Sleeping);
///     assert_eq!(info.spawned_at.unwrap().file(), file!());
///     worker.kill();
/// }
/// ```
pub fn tasks() -> Vec<TaskInfo> {
    if !hub::in_hub() {
        return Vec::new();
    }
    collect(Some(hub::current_task().header().id()))
}

/// The live tasks, `running` marked as the one running.
pub(crate) fn collect(running: Option<TaskId>) -> Vec<TaskInfo> {
    let hub = crate::hub::hub_index();
    parked::snapshot()
        .into_iter()
        .map(|(task, wait)| {
            let header = task.header();
            let waiting_on = wait.map(WaitingOn::from);
            let state = match waiting_on {
                _ if Some(header.id()) == running => TaskState::Running,
                Some(wait) if wait.what == "sleep" => TaskState::Sleeping,
                Some(_) => TaskState::Waiting,
                None => TaskState::Suspended,
            };
            TaskInfo {
                id: header.id(),
                name: header.name(),
                state,
                spawned_at: header.spawned_at(),
                waiting_on,
                hub,
            }
        })
        .collect()
}

/// Writes the live green tasks of the current hub to stderr as a table:
/// id, name, state, spawn site and what each waits on (gevent's
/// `print_run_info`). Says so outside a hub. One of several hubs
/// ([`hubs`](crate::hubs), a workers main) is named in the first line:
/// "green: 3 tasks on hub 1 of 2 (thread green-hub-1)".
///
/// ```
/// #[green::main]
/// fn main() {
///     let _worker = green::spawn(|| green::sleep(std::time::Duration::from_millis(10)));
///     green::idle();
///     green::print_run_info();
///     // green: 2 tasks on this hub
///     //   id  name          state     spawned at      waits on
///     //   1   MainGreenlet  running   -               -
///     //   2   Greenlet-2    sleeping  src/main.rs:3   sleep at src/main.rs:3
/// }
/// ```
pub fn print_run_info() {
    if !hub::in_hub() {
        eprintln!("green: no hub runs on this thread");
        return;
    }
    let tasks = tasks();
    let hub = hub::describe().unwrap_or_else(|| "this hub".to_owned());
    eprint!("green: {} tasks on {hub}\n{}", tasks.len(), table(&tasks));
}

/// The tasks as a table, one line each, indented by two spaces.
pub(crate) fn table(tasks: &[TaskInfo]) -> String {
    let rows: Vec<[String; 5]> = tasks
        .iter()
        .map(|task| {
            [
                task.id.to_string(),
                task.name.clone(),
                task.state.to_string(),
                task.spawned_at.map_or_else(
                    || "-".to_owned(),
                    |at| format!("{}:{}", at.file(), at.line()),
                ),
                task.waiting_on
                    .map_or_else(|| "-".to_owned(), |wait| wait.to_string()),
            ]
        })
        .collect();
    let header = ["id", "name", "state", "spawned at", "waits on"].map(str::to_owned);
    let mut widths = [0; 5];
    for row in core::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in core::iter::once(&header).chain(&rows) {
        let mut line = String::from(" ");
        for (cell, width) in row.iter().zip(widths) {
            line.push_str(&format!(" {cell:<width$} "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
