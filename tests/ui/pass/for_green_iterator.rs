//! `for` over a green iterator: a type with an inherent green `next`.
struct Countdown {
    left: u32,
}

impl Countdown {
    #[green::green]
    fn next(&mut self) -> Option<u32> {
        green::idle();
        if self.left == 0 {
            None
        } else {
            self.left -= 1;
            Some(self.left)
        }
    }
}

#[green::green]
fn countdown(from: u32) -> Countdown {
    Countdown { left: from }
}

#[green::green]
fn collect_all() -> Vec<u32> {
    let mut seen = Vec::new();
    for n in (Countdown { left: 3 }) {
        seen.push(n);
    }
    for n in countdown(2) {
        if n == 0 {
            continue;
        }
        seen.push(n * 10);
    }
    seen
}

#[green::main]
fn main() {
    assert_eq!(collect_all(), [2, 1, 0, 10]);
}
