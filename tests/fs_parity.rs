//! compat::fs against std::fs: the same scenario, once with std in a thread
//! and once with compat in green code, gives the same observable results
//! (bytes, order, `ErrorKind`s).

use std::io::{self, ErrorKind, SeekFrom};
use std::path::{Path, PathBuf};

use green::compat::fs::{self as gfs, File as GFile, OpenOptions as GOpenOptions};
use green::compat::io::{Read as _, Seek as _, Write as _};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-fs-parity-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn kind<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(err) => format!("{:?}", err.kind()),
    }
}

/// The scenario with std, run on a plain thread.
fn with_std(dir: &Path) -> Vec<String> {
    use std::fs;
    use std::io::{Read, Seek, Write};

    let mut log = Vec::new();
    let a = dir.join("a.txt");
    fs::write(&a, "hello").unwrap();
    log.push(format!("read {:?}", fs::read(&a).unwrap()));

    let mut file = fs::OpenOptions::new().append(true).open(&a).unwrap();
    file.write_all(b" world").unwrap();
    drop(file);
    log.push(format!("append {:?}", fs::read_to_string(&a).unwrap()));

    let meta = fs::metadata(&a).unwrap();
    log.push(format!(
        "meta {} {} {}",
        meta.len(),
        meta.is_file(),
        meta.is_dir()
    ));

    let mut file = fs::File::create(dir.join("b.txt")).unwrap();
    file.write_all(b"0123456789").unwrap();
    file.set_len(4).unwrap();
    log.push(format!("set_len {}", file.metadata().unwrap().len()));
    drop(file);
    let mut text = String::new();
    fs::File::open(dir.join("b.txt"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    log.push(format!("file read {text:?}"));

    fs::write(dir.join("s.txt"), "0123456789").unwrap();
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join("s.txt"))
        .unwrap();
    let mut four = [0; 4];
    file.seek(SeekFrom::Start(3)).unwrap();
    file.read_exact(&mut four).unwrap();
    let end = file.seek(SeekFrom::End(-2)).unwrap();
    file.write_all(b"XY").unwrap();
    let position = file.stream_position().unwrap();
    file.rewind().unwrap();
    let mut all = String::new();
    file.read_to_string(&mut all).unwrap();
    log.push(format!("seek {four:?} {end} {position} {all}"));

    fs::create_dir(dir.join("sub")).unwrap();
    for name in ["c", "a", "b"] {
        fs::write(dir.join("sub").join(name), name).unwrap();
    }
    let mut names: Vec<_> = fs::read_dir(dir.join("sub"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    log.push(format!("read_dir {names:?}"));

    fs::rename(&a, dir.join("sub/d.txt")).unwrap();
    log.push(format!(
        "rename {} {}",
        fs::exists(&a).unwrap(),
        fs::read_to_string(dir.join("sub/d.txt")).unwrap()
    ));
    log.push(format!(
        "copy {}",
        fs::copy(dir.join("sub/d.txt"), dir.join("e.txt")).unwrap()
    ));
    fs::hard_link(dir.join("e.txt"), dir.join("f.txt")).unwrap();
    log.push(format!(
        "hard_link {:?}",
        fs::read(dir.join("f.txt")).unwrap()
    ));

    log.push(format!(
        "read missing {}",
        kind(fs::read(dir.join("missing")))
    ));
    log.push(format!(
        "open missing {}",
        kind(fs::File::open(dir.join("missing")))
    ));
    log.push(format!(
        "create_dir twice {}",
        kind(fs::create_dir(dir.join("sub")))
    ));
    log.push(format!(
        "remove_dir full {}",
        kind(fs::remove_dir(dir.join("sub")))
    ));
    log.push(format!(
        "create_new existing {}",
        kind(fs::File::create_new(dir.join("e.txt")))
    ));
    fs::remove_file(dir.join("e.txt")).unwrap();
    log.push(format!(
        "remove_file again {}",
        kind(fs::remove_file(dir.join("e.txt")))
    ));
    log.push(format!(
        "canonicalize {}",
        fs::canonicalize(dir.join("sub/../f.txt")).unwrap()
            == fs::canonicalize(dir.join("f.txt")).unwrap()
    ));
    fs::create_dir_all(dir.join("x/y/z")).unwrap();
    fs::remove_dir_all(dir.join("x")).unwrap();
    log.push(format!(
        "remove_dir_all {}",
        fs::exists(dir.join("x")).unwrap()
    ));
    log
}

/// The same scenario with compat, in green code.
#[green::green]
fn with_green(dir: PathBuf) -> Vec<String> {
    let mut log = Vec::new();
    let a = dir.join("a.txt");
    gfs::write(&a, "hello").unwrap();
    log.push(format!("read {:?}", gfs::read(&a).unwrap()));

    let mut file = GOpenOptions::new().append(true).open(&a).unwrap();
    file.write_all(b" world").unwrap();
    drop(file);
    log.push(format!("append {:?}", gfs::read_to_string(&a).unwrap()));

    let meta = gfs::metadata(&a).unwrap();
    log.push(format!(
        "meta {} {} {}",
        meta.len(),
        meta.is_file(),
        meta.is_dir()
    ));

    let mut file = GFile::create(dir.join("b.txt")).unwrap();
    file.write_all(b"0123456789").unwrap();
    file.set_len(4).unwrap();
    log.push(format!("set_len {}", file.metadata().unwrap().len()));
    drop(file);
    let mut text = String::new();
    GFile::open(dir.join("b.txt"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    log.push(format!("file read {text:?}"));

    gfs::write(dir.join("s.txt"), "0123456789").unwrap();
    let mut file = GOpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join("s.txt"))
        .unwrap();
    let mut four = [0; 4];
    file.seek(SeekFrom::Start(3)).unwrap();
    file.read_exact(&mut four).unwrap();
    let end = file.seek(SeekFrom::End(-2)).unwrap();
    file.write_all(b"XY").unwrap();
    let position = file.stream_position().unwrap();
    file.rewind().unwrap();
    let mut all = String::new();
    file.read_to_string(&mut all).unwrap();
    log.push(format!("seek {four:?} {end} {position} {all}"));

    gfs::create_dir(dir.join("sub")).unwrap();
    for name in ["c", "a", "b"] {
        gfs::write(dir.join("sub").join(name), name).unwrap();
    }
    let mut names = Vec::new();
    for entry in gfs::read_dir(dir.join("sub")).unwrap() {
        names.push(entry.unwrap().file_name().into_string().unwrap());
    }
    names.sort();
    log.push(format!("read_dir {names:?}"));

    gfs::rename(&a, dir.join("sub/d.txt")).unwrap();
    log.push(format!(
        "rename {} {}",
        gfs::exists(&a).unwrap(),
        gfs::read_to_string(dir.join("sub/d.txt")).unwrap()
    ));
    log.push(format!(
        "copy {}",
        gfs::copy(dir.join("sub/d.txt"), dir.join("e.txt")).unwrap()
    ));
    gfs::hard_link(dir.join("e.txt"), dir.join("f.txt")).unwrap();
    log.push(format!(
        "hard_link {:?}",
        gfs::read(dir.join("f.txt")).unwrap()
    ));

    log.push(format!(
        "read missing {}",
        kind(gfs::read(dir.join("missing")))
    ));
    log.push(format!(
        "open missing {}",
        kind(GFile::open(dir.join("missing")))
    ));
    log.push(format!(
        "create_dir twice {}",
        kind(gfs::create_dir(dir.join("sub")))
    ));
    log.push(format!(
        "remove_dir full {}",
        kind(gfs::remove_dir(dir.join("sub")))
    ));
    log.push(format!(
        "create_new existing {}",
        kind(GFile::create_new(dir.join("e.txt")))
    ));
    gfs::remove_file(dir.join("e.txt")).unwrap();
    log.push(format!(
        "remove_file again {}",
        kind(gfs::remove_file(dir.join("e.txt")))
    ));
    log.push(format!(
        "canonicalize {}",
        gfs::canonicalize(dir.join("sub/../f.txt")).unwrap()
            == gfs::canonicalize(dir.join("f.txt")).unwrap()
    ));
    gfs::create_dir_all(dir.join("x/y/z")).unwrap();
    gfs::remove_dir_all(dir.join("x")).unwrap();
    log.push(format!(
        "remove_dir_all {}",
        gfs::exists(dir.join("x")).unwrap()
    ));
    log
}

#[test]
fn fs_scenario_matches_std() {
    let std_dir = scratch("std");
    let green_dir = scratch("green");
    let expected = {
        let dir = std_dir.clone();
        std::thread::spawn(move || with_std(&dir)).join().unwrap()
    };
    let got = green::run(with_green(green_dir.clone()));
    assert_eq!(got, expected);
    assert!(expected.contains(&"read missing NotFound".to_owned()));
    assert!(expected.contains(&"open missing NotFound".to_owned()));
    std::fs::remove_dir_all(std_dir).unwrap();
    std::fs::remove_dir_all(green_dir).unwrap();
}

fn make_symlink(original: &Path, link: &Path) {
    std::os::unix::fs::symlink(original, link).unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn symlink_metadata_does_not_follow() {
    let dir = scratch("symlink");
    gfs::write(dir.join("target"), "abc").unwrap();
    make_symlink(&dir.join("target"), &dir.join("link"));
    assert!(
        gfs::symlink_metadata(dir.join("link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(gfs::metadata(dir.join("link")).unwrap().len(), 3);
    assert_eq!(
        gfs::read_link(dir.join("link")).unwrap(),
        dir.join("target")
    );
    gfs::remove_dir_all(&dir).unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn read_dir_entries_give_metadata_and_type() {
    let dir = scratch("entries");
    gfs::write(dir.join("file"), "12345").unwrap();
    gfs::create_dir(dir.join("dir")).unwrap();
    let mut seen = Vec::new();
    for entry in gfs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let file_type = entry.file_type().unwrap();
        let len = entry.metadata().unwrap().len();
        assert_eq!(entry.path(), dir.join(entry.file_name()));
        seen.push((
            entry.file_name().into_string().unwrap(),
            file_type.is_dir(),
            if file_type.is_file() { len } else { 0 },
        ));
    }
    seen.sort();
    assert_eq!(
        seen,
        [("dir".to_owned(), true, 0), ("file".to_owned(), false, 5)]
    );
    assert_eq!(
        gfs::read_dir(dir.join("nope")).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    gfs::remove_dir_all(&dir).unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn a_write_is_on_disk_when_it_returns() {
    // tokio's File only queues a write; compat's returns once it is done, as
    // std's does, so reading through another handle sees it at once.
    let dir = scratch("write-done");
    let path = dir.join("f");
    let mut file = GFile::create(&path).unwrap();
    for i in 0..20u8 {
        file.write_all(&[i; 1000]).unwrap();
        assert_eq!(gfs::metadata(&path).unwrap().len(), (i as u64 + 1) * 1000);
    }
    file.sync_all().unwrap();
    file.sync_data().unwrap();
    drop(file);
    assert_eq!(gfs::read(&path).unwrap().len(), 20_000);
    gfs::remove_dir_all(&dir).unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn permissions_and_clones() {
    let dir = scratch("perm");
    let path = dir.join("f");
    let file = GFile::create(&path).unwrap();
    let clone = file.try_clone().unwrap();
    clone.set_len(7).unwrap();
    assert_eq!(file.metadata().unwrap().len(), 7);
    let mut permissions = file.metadata().unwrap().permissions();
    permissions.set_readonly(true);
    gfs::set_permissions(&path, permissions).unwrap();
    assert!(gfs::metadata(&path).unwrap().permissions().readonly());
    let std_file = file.into_std();
    assert_eq!(std_file.metadata().unwrap().len(), 7);
    gfs::remove_dir_all(&dir).unwrap();
}
