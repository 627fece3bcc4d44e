//! Constructor-looking calls are not wrapped: `Some(fut)` stays a value.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[derive(Debug, PartialEq)]
struct Meters(u32);

impl Meters {
    #[green::green]
    fn doubled(&self) -> Self {
        Self(double(self.0))
    }
}

#[green::green]
fn construct() -> Option<Meters> {
    // `Some` is not awaited (it is not green); its argument is.
    let awaited: Option<u32> = Some(double(1));
    // A green value kept as a value inside an Option.
    let wrapped = Some(green::nowait!(double(2)));
    let value = match wrapped {
        Some(work) => work.await,
        None => 0,
    } + awaited.unwrap()
        - 2;
    let ok: Result<u32, ()> = Ok(double(value));
    Some(Meters(ok.unwrap()).doubled())
}

#[green::main]
fn main() {
    assert_eq!(construct(), Some(Meters(16)));
}
