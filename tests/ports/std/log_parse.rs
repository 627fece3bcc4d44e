//! Generate a log file, then parse it line by line with `BufRead` and
//! iterator adapter chains.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

fn generate(path: &Path) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for i in 0..300u32 {
        let level = match i % 7 {
            0 => "ERROR",
            1 | 2 => "WARN",
            _ => "INFO",
        };
        writeln!(out, "{level} request={} latency_ms={}", i, (i * 37) % 101)?;
        if i % 50 == 49 {
            writeln!(out)?;
        }
    }
    out.flush()
}

fn count_errors(path: &Path) -> io::Result<usize> {
    let reader = BufReader::new(File::open(path)?);
    Ok(reader
        .lines()
        .map_while(Result::ok)
        .filter(|line| line.starts_with("ERROR"))
        .count())
}

fn levels(path: &Path) -> io::Result<BTreeMap<String, u32>> {
    let reader = BufReader::new(File::open(path)?);
    let mut counts = BTreeMap::new();
    for line in reader.lines() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let level = line.split_whitespace().next().unwrap_or("?").to_string();
        *counts.entry(level).or_insert(0) += 1;
    }
    Ok(counts)
}

fn slowest(path: &Path) -> io::Result<Option<(u32, u32)>> {
    let file = File::open(path)?;
    let slowest = BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| {
            let mut fields = line.split_whitespace().skip(1);
            let request = fields.next()?.strip_prefix("request=")?.parse().ok()?;
            let latency = fields.next()?.strip_prefix("latency_ms=")?.parse().ok()?;
            Some((latency, request))
        })
        .max();
    Ok(slowest)
}

fn main() -> io::Result<()> {
    let path = std::env::temp_dir().join(format!("green-ports-log-{}.txt", std::process::id()));
    generate(&path)?;

    println!("errors: {}", count_errors(&path)?);
    for (level, count) in levels(&path)? {
        println!("{level}: {count}");
    }
    if let Some((latency, request)) = slowest(&path)? {
        println!("slowest: request {request} at {latency} ms");
    }
    let blank = BufReader::new(File::open(&path)?)
        .lines()
        .filter(|l| matches!(l, Ok(l) if l.is_empty()))
        .count();
    println!("blank lines: {blank}");

    fs::remove_file(&path)?;
    Ok(())
}
