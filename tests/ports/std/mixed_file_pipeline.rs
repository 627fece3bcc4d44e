//! Scoped writer threads create files, announce them over mpsc, a reader
//! thread counts their words, and a `RwLock` holds the summary.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let dir = std::env::temp_dir().join(format!("green-ports-files-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let summary: Arc<RwLock<BTreeMap<String, usize>>> = Arc::new(RwLock::new(BTreeMap::new()));
    let (tx, rx) = mpsc::channel::<PathBuf>();

    let reader_summary = Arc::clone(&summary);
    let reader = thread::spawn(move || {
        for path in rx {
            let file = File::open(&path).unwrap();
            let words: usize = BufReader::new(file)
                .lines()
                .map(|line| line.unwrap().split_whitespace().count())
                .sum();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            reader_summary.write().unwrap().insert(name, words);
        }
    });

    let texts = [
        ("a.txt", "one two three\nfour five\n"),
        ("b.txt", "green threads\nare tasks\nreally\n"),
        ("c.txt", "\n\nlonely\n"),
    ];
    thread::scope(|s| {
        for (name, text) in texts {
            let tx = tx.clone();
            let dir = &dir;
            s.spawn(move || {
                let path = dir.join(name);
                let mut file = File::create(&path).unwrap();
                file.write_all(text.as_bytes()).unwrap();
                file.sync_all().unwrap();
                tx.send(path).unwrap();
            });
        }
    });
    drop(tx);
    reader.join().unwrap();

    for (name, words) in summary.read().unwrap().iter() {
        println!("{name}: {words} words");
    }
    let mut left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    left.sort();
    println!("files: {left:?}");
    fs::remove_dir_all(&dir).unwrap();
}
