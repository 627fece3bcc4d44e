//! Green work used as a plain value outside a green body: arithmetic,
//! comparison and formatting each say what to write instead.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

fn plain() -> u32 {
    double(21) + 1
}

fn compared() -> bool {
    double(1) == 2
}

fn shown() -> String {
    format!("{}", double(3))
}

fn main() {
    let _ = plain();
    let _ = compared();
    let _ = shown();
}
