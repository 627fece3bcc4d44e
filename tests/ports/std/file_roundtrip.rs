//! Write, read, append and read again a file in the temp dir.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("green-ports-{}-{}", std::process::id(), name))
}

fn read_all(path: &Path) -> io::Result<String> {
    let mut contents = String::new();
    File::open(path)?.read_to_string(&mut contents)?;
    Ok(contents)
}

fn byte_count(path: &Path) -> usize {
    let mut file = File::open(path).unwrap();
    let mut contents = Vec::new();
    file.read_to_end(&mut contents).unwrap()
}

fn append_line(path: &Path, line: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().append(true).open(path)?;
    writeln!(file, "{line}")
}

fn main() -> io::Result<()> {
    let path = temp_file("roundtrip.txt");

    fs::write(&path, "first line\n")?;
    println!("after write: {:?}", read_all(&path)?);

    append_line(&path, "second line")?;
    append_line(&path, "third line")?;
    let contents = fs::read_to_string(&path)?;
    println!("after appends: {} lines", contents.lines().count());
    for (i, line) in contents.lines().enumerate() {
        println!("{i}: {line}");
    }

    {
        let mut file = File::create(&path)?;
        file.write_all(b"truncated and rewritten")?;
        file.flush()?;
    }
    println!("bytes: {}", byte_count(&path));
    println!("metadata len: {}", fs::metadata(&path)?.len());

    let copy = temp_file("roundtrip-copy.txt");
    let copied = fs::copy(&path, &copy)?;
    println!(
        "copied {copied} bytes, equal: {}",
        fs::read(&path)? == fs::read(&copy)?
    );

    fs::remove_file(&path)?;
    fs::remove_file(&copy)?;
    println!("removed: {}", !path.exists() && !copy.exists());
    match File::open(&path) {
        Err(e) => println!("open after remove: {:?}", e.kind()),
        Ok(_) => println!("open after remove: still there"),
    }
    Ok(())
}
