//! Arguments of the std formatting, assert, `vec!` and `dbg!` macros are rewritten.
use std::fmt;
use std::fmt::Write as _;

#[green::green]
fn three() -> u32 {
    3
}

/// A writer whose `write_fmt` is green: `write!` on it is awaited.
struct GreenWriter {
    out: String,
}

impl GreenWriter {
    #[green::green]
    fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> fmt::Result {
        green::idle();
        self.out.write_fmt(args)
    }
}

#[green::green]
fn formats() -> String {
    println!("{}", three());
    eprintln!("{x}", x = three());
    print!("{} ", three());
    eprint!("{}\n", three());
    assert_eq!(three(), 3);
    assert_ne!(three(), 4, "three is {}", three());
    assert!(three() == 3);
    debug_assert!(three() == 3);
    debug_assert_eq!(three(), 3);
    debug_assert_ne!(three(), 0);
    let list = vec![three(), three()];
    assert_eq!(list, [3, 3]);
    assert_eq!(dbg!(three()), 3);
    if three() == 5 {
        unreachable!("three is {}", three());
    }
    let mut plain = String::new();
    write!(plain, "{}", three()).unwrap();
    writeln!(plain, "!").unwrap();
    let mut green = GreenWriter { out: String::new() };
    write!(green, "{}-{}", three(), three()).unwrap();
    writeln!(green, "").unwrap();
    if three() == 4 {
        panic!("never: {}", three());
    }
    format!("{}|{plain}|{}", three(), green.out)
}

#[green::main]
fn main() {
    assert_eq!(formats(), "3|3!\n|3-3\n");
}
