//! `GreenIterator`: std's adapter chains on green iterators (lines, incoming,
//! read_dir, mpsc, queues), each compared with what std's `Iterator` gives on
//! the same data.
//!
//! The green bodies use forms that `#[green]` awaits with or without the
//! trait imported by the macro: turbofish `collect`/`sum`, and consumers whose
//! names are not plain (`count`, `nth`, `fold`, ..). `last` is awaited
//! explicitly in async code.

use std::path::{Path, PathBuf};

use green::GreenIterator;
use green::compat::fs;
use green::compat::io::{self, BufRead, BufReader, Cursor, Read, Write};
use green::compat::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use green::compat::sync::mpsc;

/// A closed queue holding `items`, iterated: a green iterator whose `next`
/// really goes through the hub.
#[green::green]
fn numbers(items: Vec<i32>) -> green::QueueIter<i32> {
    let queue = green::Queue::new();
    for item in items {
        queue.put(item).unwrap();
    }
    queue.close();
    queue.iter()
}

const DATA: [i32; 9] = [5, 1, 4, 2, 8, 3, 7, 6, 0];

/// Reads an HTTP request head the classic std way: the lines up to the first
/// empty one; then the body line after it.
#[green::green]
fn read_request(stream: TcpStream) -> (Vec<String>, Option<String>) {
    let mut lines = BufReader::new(stream).lines();
    let head = lines
        .by_ref()
        .map(|line| line.unwrap())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>();
    let body = lines.next().map(|line| line.unwrap());
    (head, body)
}

/// A client writing [`REQUEST`], then closing its side.
#[green::green]
fn send_request(addr: SocketAddr) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(REQUEST.as_bytes()).unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
}

/// A client writing one byte, `id`; gives the stream back to keep it open.
#[green::green]
fn connect_and_send(addr: SocketAddr, id: u8) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(&[id]).unwrap();
    stream
}

/// Sends `values` one by one, sleeping before each.
#[green::green]
fn send_slowly(tx: mpsc::Sender<u32>, values: std::ops::RangeInclusive<u32>) {
    for n in values {
        green::sleep(std::time::Duration::from_millis(1));
        tx.send(n).unwrap();
    }
}

const REQUEST: &str =
    "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: green\r\n\r\nBODY\n";

#[green::test(timeout_ms = 20_000)]
fn http_request_head_through_lines_map_take_while_collect() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = green::spawn(move || send_request(addr));
    let (stream, _) = listener.accept().unwrap();
    let (head, body) = read_request(stream);
    client.join().unwrap();

    let mut std_lines = std::io::BufRead::lines(std::io::Cursor::new(REQUEST));
    let std_head: Vec<_> = std_lines
        .by_ref()
        .map(|line| line.unwrap())
        .take_while(|line| !line.is_empty())
        .collect();
    let std_body = std_lines.next().map(|line| line.unwrap());
    assert_eq!(head, std_head);
    assert_eq!(
        head,
        [
            "GET /index.html HTTP/1.1",
            "Host: 127.0.0.1",
            "User-Agent: green"
        ]
    );
    assert_eq!(body, std_body);
    assert_eq!(body.as_deref(), Some("BODY"));
}

#[green::test(timeout_ms = 20_000)]
fn incoming_take_two_accepts_exactly_two() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Three clients wait in the backlog; `take(2)` must accept two and not
    // ask for a third.
    let clients: Vec<_> = (0..3u8)
        .map(|id| green::spawn(move || connect_and_send(addr, id)))
        .collect();
    let mut accepted = 0;
    for stream in listener.incoming().take(2) {
        let mut byte = [0u8];
        stream.unwrap().read_exact(&mut byte).unwrap();
        accepted += 1;
    }
    assert_eq!(accepted, 2);
    // The third connection is still there for a plain accept.
    let (mut third, _) = listener.accept().unwrap();
    let mut byte = [0u8];
    third.read_exact(&mut byte).unwrap();
    let _streams = green::joinall(clients);
}

#[green::test]
fn lines_map_while_ok_stops_at_the_first_error() {
    let data: &[u8] = b"a\nb\n\xff\nc\n";
    let got = Cursor::new(data)
        .lines()
        .map_while(Result::ok)
        .collect::<Vec<_>>();
    let want: Vec<_> = std::io::BufRead::lines(std::io::Cursor::new(data))
        .map_while(Result::ok)
        .collect();
    assert_eq!(got, want);
    assert_eq!(got, ["a", "b"]);
}

#[green::test]
fn enumerate_filter_skip_step_by_match_std() {
    let got = numbers(DATA.to_vec())
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, x)| x)
        .collect::<Vec<_>>();
    let want: Vec<_> = DATA
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, x)| x)
        .collect();
    assert_eq!(got, want);

    let got = numbers(DATA.to_vec()).skip(3).collect::<Vec<_>>();
    let want: Vec<_> = DATA.into_iter().skip(3).collect();
    assert_eq!(got, want);

    for step in [1, 2, 4, 20] {
        let got = numbers(DATA.to_vec()).step_by(step).collect::<Vec<_>>();
        let want: Vec<_> = DATA.into_iter().step_by(step).collect();
        assert_eq!(got, want, "step_by({step})");
    }

    let got = numbers(DATA.to_vec())
        .skip_while(|x| *x != 2)
        .filter_map(|x| (x > 2).then_some(x * 10))
        .collect::<Vec<_>>();
    let want: Vec<_> = DATA
        .into_iter()
        .skip_while(|x| *x != 2)
        .filter_map(|x| (x > 2).then_some(x * 10))
        .collect();
    assert_eq!(got, want);
}

#[test]
#[should_panic(expected = "step != 0")]
fn step_by_zero_panics_as_std() {
    let _ = green::iter::from_std(DATA).step_by(0);
}

#[green::test]
fn chain_zip_flat_map_match_std() {
    let got = numbers(vec![1, 2])
        .chain(numbers(vec![3, 4]))
        .collect::<Vec<_>>();
    assert_eq!(got, [1, 2, 3, 4]);

    let got = numbers(DATA.to_vec())
        .zip(Cursor::new("a\nb\nc\n").lines().map(Result::unwrap))
        .collect::<Vec<_>>();
    let want: Vec<_> = DATA
        .into_iter()
        .zip(["a", "b", "c"].map(String::from))
        .collect();
    assert_eq!(got, want);

    let got = numbers(vec![1, 2, 3])
        .flat_map(|n| vec![n; n as usize])
        .collect::<Vec<_>>();
    let want: Vec<_> = [1, 2, 3]
        .into_iter()
        .flat_map(|n| vec![n; n as usize])
        .collect();
    assert_eq!(got, want);
}

#[green::test]
fn zip_does_not_pull_the_second_when_the_first_ends() {
    let mut second = numbers(vec![10, 20, 30]);
    let pairs = numbers(vec![1]).zip(second.by_ref()).collect::<Vec<_>>();
    assert_eq!(pairs, [(1, 10)]);
    assert_eq!(second.collect::<Vec<_>>(), [20, 30]);
}

#[green::test]
fn peekable_peeks_without_consuming() {
    let mut items = numbers(vec![1, 2]).peekable();
    assert_eq!(items.peek(), Some(&1));
    assert_eq!(items.peek(), Some(&1));
    assert_eq!(items.next(), Some(1));
    assert_eq!(items.peek(), Some(&2));
    assert_eq!(items.count(), 1);

    let mut empty = numbers(Vec::new()).peekable();
    assert_eq!(empty.peek(), None);
    assert_eq!(empty.next(), None);
}

#[green::test]
fn peekable_next_if_and_peek_mut_match_std() {
    let mut items = numbers(vec![0, 0, 3, 4]).peekable();
    let mut std_items = [0, 0, 3, 4].into_iter().peekable();
    let mut zeros = 0;
    while items.next_if_eq(&0).is_some() {
        zeros += 1;
    }
    while std_items.next_if_eq(&0).is_some() {}
    assert_eq!(zeros, 2);
    assert_eq!(items.next_if(|x| *x > 3), std_items.next_if(|x| *x > 3));
    if let Some(x) = items.peek_mut() {
        *x *= 10;
    }
    if let Some(x) = std_items.peek_mut() {
        *x *= 10;
    }
    assert_eq!(items.collect::<Vec<_>>(), std_items.collect::<Vec<_>>());
}

#[test]
fn adapters_are_debug_without_debug_closures() {
    let chain = green::iter::from_std([1, 2])
        .map(|x| x + 1)
        .filter(|x| x % 2 == 0)
        .take(1)
        .peekable();
    let text = format!("{chain:?}");
    for name in ["Peekable", "Take", "Filter", "Map", "FromStd"] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    let flat = format!("{:?}", green::iter::from_std([vec![1]]).flat_map(|v| v));
    assert!(flat.starts_with("FlatMap"), "{flat}");
    let flat = format!("{:?}", green::iter::from_std([vec![1]]).flatten());
    assert!(flat.starts_with("Flatten"), "{flat}");
}

#[green::test]
fn by_ref_take_then_keep_iterating() {
    let mut items = numbers(DATA.to_vec());
    let first = items.by_ref().take(3).collect::<Vec<_>>();
    let rest = items.collect::<Vec<_>>();
    let mut std_items = DATA.into_iter();
    let std_first: Vec<_> = std_items.by_ref().take(3).collect();
    let std_rest: Vec<_> = std_items.collect();
    assert_eq!((first, rest), (std_first, std_rest));
}

#[green::test]
fn take_while_consumes_the_first_failing_item_as_std() {
    let mut items = numbers(DATA.to_vec());
    let small = items.by_ref().take_while(|x| *x != 4).collect::<Vec<_>>();
    let rest = items.collect::<Vec<_>>();
    let mut std_items = DATA.into_iter();
    let std_small: Vec<_> = std_items.by_ref().take_while(|x| *x != 4).collect();
    let std_rest: Vec<_> = std_items.collect();
    assert_eq!((small, rest), (std_small, std_rest));
}

/// The names ending in `.txt` in `dir`, sorted, the std way.
fn std_txt_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-iter-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub.txt.d")).unwrap();
    for file in ["b.txt", "a.txt", "c.log", "d.txt"] {
        std::fs::write(dir.join(file), file).unwrap();
    }
    dir
}

#[green::test]
fn read_dir_filter_map_collect_sorted_names() {
    let dir = scratch_dir("read-dir");
    let mut names = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".txt"))
        .collect::<Vec<_>>();
    names.sort();
    assert_eq!(names, std_txt_names(&dir));
    assert_eq!(names, ["a.txt", "b.txt", "d.txt"]);
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 5);
    fs::remove_dir_all(&dir).unwrap();
}

#[green::test]
fn mpsc_iter_take_then_into_iter_sum() {
    let (tx, rx) = mpsc::channel();
    for n in 0..5u32 {
        tx.send(n).unwrap();
    }
    drop(tx);
    let mut first = Vec::new();
    for n in rx.iter().take(3) {
        first.push(n);
    }
    assert_eq!(first, [0, 1, 2]);
    // `take(3)` left the rest in the channel.
    assert_eq!(rx.into_iter().sum::<u32>(), 3 + 4);
}

#[green::test]
fn mpsc_from_another_task_with_adapters() {
    let (tx, rx) = mpsc::channel();
    let sender = green::spawn(move || send_slowly(tx, 1..=6));
    let evens = rx
        .iter()
        .filter(|n| n % 2 == 0)
        .map(|n| n * n)
        .collect::<Vec<_>>();
    assert_eq!(evens, [4, 16, 36]);
    sender.join().unwrap();
}

#[green::test]
fn count_nth_fold_for_each_match_std() {
    assert_eq!(numbers(DATA.to_vec()).count(), DATA.len());

    let mut items = numbers(DATA.to_vec());
    let mut std_items = DATA.into_iter();
    // `nth(n)` consumes n + 1 items, as std.
    for n in [0, 2, 1, 10] {
        assert_eq!(items.nth(n), std_items.nth(n), "nth({n})");
    }

    let folded = numbers(DATA.to_vec()).fold(String::new(), |s, x| s + &x.to_string());
    let std_folded = DATA
        .into_iter()
        .fold(String::new(), |s, x| s + &x.to_string());
    assert_eq!(folded, std_folded);

    let mut seen = Vec::new();
    numbers(DATA.to_vec()).for_each(|x| seen.push(x));
    assert_eq!(seen, DATA);

    let mut inspected = Vec::new();
    let total = numbers(DATA.to_vec())
        .inspect(|x| inspected.push(*x))
        .sum::<i32>();
    assert_eq!(total, DATA.into_iter().sum::<i32>());
    assert_eq!(inspected, DATA);
    assert_eq!(
        numbers(vec![1, 2, 3, 4]).product::<i32>(),
        [1, 2, 3, 4].into_iter().product::<i32>()
    );
}

#[green::test]
fn any_all_find_position_match_std_and_stop_where_std_stops() {
    let mut items = numbers(DATA.to_vec());
    let mut std_items = DATA.into_iter();
    assert_eq!(items.any(|x| x == 4), std_items.any(|x| x == 4));
    assert_eq!(items.find(|x| *x > 5), std_items.find(|x| *x > 5));
    assert_eq!(items.position(|x| x == 6), std_items.position(|x| x == 6));
    assert_eq!(items.all(|x| x < 100), std_items.all(|x| x < 100));
    assert_eq!(items.next(), std_items.next());

    let mut items = numbers(DATA.to_vec());
    let mut std_items = DATA.into_iter();
    assert_eq!(items.all(|x| x != 2), std_items.all(|x| x != 2));
    assert_eq!(
        items.find_map(|x| (x > 6).then_some(x * 2)),
        std_items.find_map(|x| (x > 6).then_some(x * 2))
    );
    assert_eq!(items.collect::<Vec<_>>(), std_items.collect::<Vec<_>>());

    let words = ["bb", "a", "ccc", "dd", "e", "fff"];
    let word_iter = || green::iter::from_std(words);
    assert_eq!(
        word_iter().max_by_key(|w| w.len()),
        words.into_iter().max_by_key(|w| w.len())
    );
    assert_eq!(
        word_iter().min_by_key(|w| w.len()),
        words.into_iter().min_by_key(|w| w.len())
    );
}

#[test]
fn last_and_fuse_in_async_code() {
    green::run(async {
        let last = numbers(DATA.to_vec()).await.last().await;
        assert_eq!(last, DATA.into_iter().last());
        assert_eq!(numbers(Vec::new()).await.last().await, None);

        let lines = Cursor::new("x\ny\nz").lines().map(Result::unwrap);
        assert_eq!(lines.last().await.as_deref(), Some("z"));

        let mut fused = numbers(vec![1]).await.fuse();
        assert_eq!(GreenIterator::next(&mut fused).await, Some(1));
        assert_eq!(GreenIterator::next(&mut fused).await, None);
        assert_eq!(GreenIterator::next(&mut fused).await, None);
    });
}

#[test]
fn collect_into_result_gives_std_value() {
    green::run(async {
        let data: &[u8] = b"a\n\xff\nc\n";
        let got: io::Result<Vec<String>> = Cursor::new(data).lines().collect().await;
        let want: std::io::Result<Vec<String>> =
            std::io::BufRead::lines(std::io::Cursor::new(data)).collect();
        assert_eq!(got.unwrap_err().kind(), want.unwrap_err().kind());
        let got: io::Result<Vec<String>> = Cursor::new("a\nb").lines().collect().await;
        assert_eq!(got.unwrap(), ["a", "b"]);
    });
}
