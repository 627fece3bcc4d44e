//! With the `tracing` feature a green task runs inside the span that was
//! current where it was spawned, across its switches, and a task spawned
//! outside any span runs outside them all.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;

/// What each event said, and the name of the span it happened in.
type Log = Arc<Mutex<Vec<(String, Option<&'static str>)>>>;

thread_local! {
    /// The spans entered on this thread, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// A subscriber that keeps only what the test checks.
#[derive(Default)]
struct Spans {
    next: AtomicU64,
    spans: Mutex<HashMap<u64, &'static Metadata<'static>>>,
    log: Log,
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.spans.lock().unwrap().insert(id, span.metadata());
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut message = Message(String::new());
        event.record(&mut message);
        let span = ENTERED.with(|entered| entered.borrow().last().copied());
        let name = span.map(|id| self.spans.lock().unwrap()[&id].name());
        self.log.lock().unwrap().push((message.0, name));
    }

    fn enter(&self, span: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|id| *id == span.into_u64()) {
                entered.remove(at);
            }
        });
    }

    fn current_span(&self) -> Current {
        let spans = self.spans.lock().unwrap();
        match ENTERED.with(|entered| entered.borrow().last().copied()) {
            Some(id) => Current::new(Id::from_u64(id), spans[&id]),
            None => Current::none(),
        }
    }
}

#[green::green]
fn handle() {
    tracing::info!("handling");
    green::sleep(Duration::from_millis(5)); // a switch: the span comes back
    tracing::info!("handled");
}

#[green::green]
fn serve() {
    let request = tracing::info_span!("request", id = 7);
    let inside = {
        let _entered = request.enter();
        green::spawn(handle)
    };
    let outside = green::spawn(|| async { tracing::info!("unrelated") });
    tracing::info!("serving");
    inside.join().unwrap();
    outside.join().unwrap();
}

#[test]
fn a_task_runs_in_the_span_it_was_spawned_in() {
    let spans = Spans::default();
    let log = spans.log.clone();
    tracing::subscriber::with_default(spans, || green::run(serve()));
    let log = log.lock().unwrap().clone();
    let got: Vec<(&str, Option<&str>)> = log.iter().map(|(m, s)| (m.as_str(), *s)).collect();
    assert_eq!(
        got,
        [
            ("serving", None),
            ("handling", Some("request")),
            ("unrelated", None),
            ("handled", Some("request")),
        ]
    );
}
