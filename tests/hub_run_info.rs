//! Run info (gevent's print_run_info): `green::tasks()` and
//! `green::print_run_info()` name every live task, its state, its spawn site
//! and the green wait it is parked in.

use std::process::Command;
use std::time::Duration;

use green::compat::io::Read;
use green::compat::net::{TcpListener, TcpStream};
use green::{Event, Lock, Queue, TaskInfo, TaskState};

/// The line of this file that ends with the comment `// <marker>`.
fn line_with(marker: &str) -> u32 {
    let end = format!("// {marker}");
    let index = include_str!("hub_run_info.rs")
        .lines()
        .position(|line| line.ends_with(&end))
        .unwrap_or_else(|| panic!("no line marked {marker}"));
    index as u32 + 1
}

fn info(id: green::TaskId) -> TaskInfo {
    green::tasks()
        .into_iter()
        .find(|task| task.id == id)
        .unwrap_or_else(|| panic!("task {id} not listed"))
}

#[green::green]
fn wait_for(event: Event) {
    event.wait(); // event-wait
}

#[green::green]
fn take(queue: Queue<u8>) -> u8 {
    queue.get().unwrap() // queue-get
}

#[green::green]
fn nap() {
    green::sleep(Duration::from_secs(60)); // nap
}

#[green::green]
fn foreign_nap() {
    tokio::time::sleep(Duration::from_secs(60)).await;
}

#[green::green]
fn read_byte(mut stream: TcpStream) -> u8 {
    let mut byte = [0];
    stream.read_exact(&mut byte).unwrap();
    byte[0]
}

#[green::test(timeout_ms = 20_000)]
fn tasks_lists_names_sites_states_and_waits() {
    let event = Event::new();
    let queue = Queue::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server_side, _) = listener.accept().unwrap();

    let (e, q) = (event.clone(), queue.clone());
    let waiter = green::spawn(move || wait_for(e)); // spawn-waiter
    waiter.set_name("waiter");
    let getter = green::spawn(move || take(q));
    let sleeper = green::spawn(nap);
    let foreign = green::spawn(foreign_nap);
    let reader = green::spawn(move || read_byte(server_side));
    green::idle();

    let all = green::tasks();
    assert_eq!(all.len(), 6, "{all:#?}");
    assert_eq!(all[0].name, "MainGreenlet");
    assert_eq!(all[0].state, TaskState::Running);
    assert_eq!(all[0].spawned_at, None);
    assert_eq!(all[0].waiting_on, None);
    // The spawned tasks come by id.
    let ids: Vec<_> = all[1..].iter().map(|t| t.id).collect();
    assert_eq!(
        ids,
        [
            waiter.id(),
            getter.id(),
            sleeper.id(),
            foreign.id(),
            reader.id()
        ]
    );

    let file = file!();
    let w = info(waiter.id());
    assert_eq!(w.name, "waiter");
    assert_eq!(w.state, TaskState::Waiting);
    let spawned = w.spawned_at.unwrap();
    assert_eq!(
        (spawned.file(), spawned.line()),
        (file, line_with("spawn-waiter"))
    );
    let wait = w.waiting_on.unwrap();
    assert_eq!(wait.what, "Event::wait");
    assert_eq!(
        (wait.at.file(), wait.at.line()),
        (file, line_with("event-wait"))
    );
    assert!(!wait.timeout);
    assert_eq!(
        wait.to_string(),
        format!("Event::wait at {file}:{}", line_with("event-wait"))
    );

    let g = info(getter.id());
    assert_eq!(g.name, format!("Greenlet-{}", getter.id()));
    assert_eq!(g.state, TaskState::Waiting);
    assert_eq!(g.waiting_on.unwrap().what, "Queue::get");
    assert_eq!(g.waiting_on.unwrap().at.line(), line_with("queue-get"));

    let s = info(sleeper.id());
    assert_eq!(s.state, TaskState::Sleeping);
    let nap = s.waiting_on.unwrap();
    assert_eq!(
        (nap.what, nap.at.line(), nap.timeout),
        ("sleep", line_with("nap"), true)
    );

    // A foreign future and a socket read are not green waits.
    for task in [info(foreign.id()), info(reader.id())] {
        assert_eq!(task.state, TaskState::Suspended, "{task:?}");
        assert_eq!(task.waiting_on, None);
    }

    event.set();
    queue.put(1).unwrap();
    waiter.join().unwrap();
    assert_eq!(getter.join(), Ok(1));
    green::killall([sleeper, foreign]);
    reader.kill();
    // Ended tasks leave the list.
    assert_eq!(green::tasks().len(), 1);
}

#[green::test(timeout_ms = 20_000)]
fn seen_from_a_spawned_task_main_is_waiting_on_its_join() {
    let join_line = line_with("main-join");
    let task = green::spawn(|| async {
        let all = green::tasks();
        let me = green::current().id();
        let main = &all[0];
        assert_eq!(main.state, TaskState::Waiting);
        let wait = main.waiting_on.unwrap();
        assert_eq!(wait.what, "Greenlet::join");
        let mine = all.iter().find(|t| t.id == me).unwrap();
        assert_eq!(mine.state, TaskState::Running);
        wait.at.line()
    });
    assert_eq!(task.join(), Ok(join_line)); // main-join
}

#[green::test(timeout_ms = 20_000)]
fn timed_waits_and_locks_are_listed() {
    let lock = Lock::new();
    let held = lock.acquire();
    let (l, l2) = (lock.clone(), lock.clone());
    let blocked = green::spawn(move || async move { drop(l.acquire().await) });
    let timed =
        green::spawn(
            move || async move { l2.acquire_timeout(Duration::from_secs(60)).await.is_ok() },
        );
    let under_timeout = {
        let queue: Queue<u8> = Queue::new();
        green::spawn(move || green::timeout(Duration::from_secs(60), move || take(queue)))
    };
    green::idle();
    let b = info(blocked.id()).waiting_on.unwrap();
    assert_eq!((b.what, b.timeout), ("Lock::acquire", false));
    let t = info(timed.id()).waiting_on.unwrap();
    assert_eq!((t.what, t.timeout), ("Lock::acquire_timeout", true));
    let u = info(under_timeout.id()).waiting_on.unwrap();
    assert_eq!((u.what, u.timeout), ("Queue::get", true));
    drop(held);
    blocked.join().unwrap();
    assert_eq!(timed.join(), Ok(true));
    under_timeout.kill();
}

#[test]
fn outside_a_hub_there_are_no_tasks() {
    assert!(green::tasks().is_empty());
}

/// Run in a child process by the next test: prints the run info.
#[green::test]
fn print_run_info_child() {
    if std::env::var_os("GREEN_RUN_INFO_CHILD").is_none() {
        return;
    }
    let event = Event::new();
    let e = event.clone();
    let waiter = green::spawn(move || wait_for(e));
    waiter.set_name("waiter");
    green::idle();
    green::print_run_info();
    event.set();
    waiter.join().unwrap();
}

#[test]
fn print_run_info_writes_a_table_to_stderr() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "print_run_info_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("GREEN_RUN_INFO_CHILD", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("green: 2 tasks on this hub"), "{stderr}");
    let header = stderr.lines().find(|l| l.contains("spawned at")).unwrap();
    for column in ["id", "name", "state", "spawned at", "waits on"] {
        assert!(header.contains(column), "{stderr}");
    }
    let main = stderr.lines().find(|l| l.contains("MainGreenlet")).unwrap();
    assert!(main.contains("running"), "{stderr}");
    let waiter = stderr.lines().find(|l| l.contains("waiter")).unwrap();
    assert!(waiter.contains("waiting"), "{stderr}");
    assert!(
        waiter.contains(&format!(
            "Event::wait at {}:{}",
            file!(),
            line_with("event-wait")
        )),
        "{stderr}"
    );
}

/// Thousands of tasks that ended are not listed (the list drops them in
/// batches), and the live ones still are, oldest first.
#[test]
fn ended_tasks_leave_the_list() {
    green::run(async {
        let early = green::spawn(|| green::sleep(Duration::from_secs(5)));
        for _ in 0..3 {
            let batch: Vec<_> = (0..1500)
                .map(|i| green::spawn(move || async move { i }))
                .collect();
            for task in batch {
                task.join().await.unwrap();
            }
        }
        let late = green::spawn(|| green::sleep(Duration::from_secs(5)));
        green::idle().await;
        let ids: Vec<_> = green::tasks().iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        assert_eq!(&ids[1..], &[early.id(), late.id()]);
        early.kill().await;
        late.kill().await;
    });
}
