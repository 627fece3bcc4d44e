//! `for` over std iterators keeps labels, `break` and `continue`.
#[green::green]
fn is_odd(n: u32) -> bool {
    n % 2 == 1
}

#[green::green]
fn loops() -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    let rows = vec![1u32, 2, 3, 4];
    'rows: for row in rows.iter().copied() {
        for col in 0..10u32 {
            if is_odd(col) {
                continue;
            }
            if col > row {
                continue 'rows;
            }
            if row == 4 {
                break 'rows;
            }
            found.push((row, col));
        }
    }
    let mut last = 0;
    for (i, value) in vec![5, 6, 7].into_iter().enumerate() {
        if i == 2 {
            break;
        }
        last = value;
    }
    found.push((last, 0));
    for x in &mut found {
        x.1 += 1;
    }
    found
}

#[green::main]
fn main() {
    assert_eq!(loops(), [(1, 1), (2, 1), (2, 3), (3, 1), (3, 3), (6, 1)]);
}
