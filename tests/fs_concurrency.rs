//! compat::fs never blocks the hub: file operations run on a thread pool
//! while the hub goes on with other green tasks.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::fs;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-fs-conc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[green::green]
fn read_len(path: PathBuf) -> usize {
    fs::read(&path).unwrap().len()
}

#[green::test(timeout_ms = 30_000)]
fn hundred_tasks_read_a_large_file_while_the_hub_ticks() {
    let dir = scratch("large");
    let path = dir.join("large.bin");
    let size = 1 << 20;
    fs::write(&path, vec![7u8; size]).unwrap();

    // A ticker task: it only runs if the hub is free.
    let ticks = Rc::new(Cell::new(0u32));
    let ticker = {
        let ticks = ticks.clone();
        green::spawn(move || async move {
            loop {
                green::sleep(Duration::from_millis(1)).await;
                ticks.set(ticks.get() + 1);
            }
        })
    };

    let start = Instant::now();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let path = path.clone();
            green::spawn(move || read_len(path))
        })
        .collect();
    for result in green::joinall(tasks) {
        assert_eq!(result, Ok(size));
    }
    let elapsed = start.elapsed();
    ticker.kill();
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
    assert!(ticks.get() > 0, "the hub never ran the ticker");
    fs::remove_dir_all(&dir).unwrap();
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[green::green]
fn read_fifo(path: PathBuf) -> String {
    // Opening a FIFO for reading blocks until a writer opens it.
    fs::read_to_string(&path).unwrap()
}

#[green::green]
fn write_fifo_later(path: PathBuf, text: String) {
    green::sleep(Duration::from_millis(50));
    fs::write(&path, text).unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn hundred_fifo_reads_that_block_50ms_overlap() {
    let dir = scratch("fifo");
    let paths: Vec<_> = (0..100).map(|i| dir.join(format!("fifo{i}"))).collect();
    for path in &paths {
        mkfifo(path);
    }
    let start = Instant::now();
    let mut readers = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let (read_path, write_path) = (path.clone(), path.clone());
        readers.push(green::spawn(move || read_fifo(read_path)));
        green::spawn(move || write_fifo_later(write_path, format!("message {i}")));
    }
    for (i, result) in green::joinall(readers).into_iter().enumerate() {
        assert_eq!(result.unwrap(), format!("message {i}"));
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(50));
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
    fs::remove_dir_all(&dir).unwrap();
}
