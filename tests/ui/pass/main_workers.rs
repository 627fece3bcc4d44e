//! `workers = <expr>`: main's body on each of that many hubs.

const WORKERS: usize = 2;

#[green::main(workers = WORKERS)]
fn main() -> Result<(), String> {
    let me = green::worker().ok_or("no worker")?;
    assert_eq!(me.count, WORKERS);
    assert_eq!(me.index, green::hub_index());
    Ok(())
}
