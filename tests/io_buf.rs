//! `compat::io` buffered reading and writing: lines, read_line, BufWriter,
//! write!/writeln!, read_to_end/read_to_string and EOF errors.

use std::time::Duration;

use green::compat::io::{self, BufRead, BufReader, BufWriter, Cursor, Read, Write};
use green::compat::net::{Shutdown, TcpListener, TcpStream};

/// A connected pair of streams over loopback.
#[green::green]
fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

#[green::test(timeout_ms = 20_000)]
fn lines_in_a_for_loop_over_a_cursor_and_a_slice() {
    let mut from_cursor = Vec::new();
    for line in Cursor::new("alpha\nbeta\r\n\ngamma").lines() {
        from_cursor.push(line.unwrap());
    }
    assert_eq!(from_cursor, ["alpha", "beta", "", "gamma"]);

    let input: &[u8] = b"one\ntwo\n";
    let mut from_slice = Vec::new();
    for line in BufReader::new(input).lines() {
        from_slice.push(line.unwrap());
    }
    assert_eq!(from_slice, ["one", "two"]);

    // Labels, `continue` and `break` work on a green iterator.
    let mut kept = Vec::new();
    'lines: for line in Cursor::new("a\n#skip\nb\nstop\nc\n").lines() {
        let line = line.unwrap();
        if line.starts_with('#') {
            continue 'lines;
        }
        if line == "stop" {
            break 'lines;
        }
        kept.push(line);
    }
    assert_eq!(kept, ["a", "b"]);
}

#[green::test(timeout_ms = 20_000)]
fn lines_in_a_for_loop_over_a_tcp_stream() {
    let (mut client, server) = pair();
    let writer = green::spawn(move || async move {
        for i in 0..100 {
            writeln!(client, "line {i}").await?;
        }
        client.shutdown(Shutdown::Write)
    });
    let mut count = 0;
    for line in BufReader::new(server).lines() {
        assert_eq!(line.unwrap(), format!("line {count}"));
        count += 1;
    }
    assert_eq!(count, 100);
    writer.join().unwrap().unwrap();
}

#[green::test(timeout_ms = 20_000)]
fn read_line_keeps_the_newline_and_gives_zero_at_the_end() {
    let mut reader = BufReader::new(Cursor::new("first\nsecond"));
    let mut line = String::new();
    assert_eq!(reader.read_line(&mut line).unwrap(), 6);
    assert_eq!(line, "first\n");
    assert_eq!(reader.read_line(&mut line).unwrap(), 6);
    assert_eq!(line, "first\nsecond");
    assert_eq!(reader.read_line(&mut line).unwrap(), 0);

    let mut invalid = BufReader::new(&[b'a', 0xff, b'\n'][..]);
    let mut line = String::new();
    let error = invalid.read_line(&mut line).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
}

#[green::test(timeout_ms = 20_000)]
fn read_until_and_split() {
    let mut reader = Cursor::new(b"k=v;x=y".to_vec());
    let mut field = Vec::new();
    assert_eq!(reader.read_until(b';', &mut field).unwrap(), 4);
    assert_eq!(field, b"k=v;");
    let mut pieces = Vec::new();
    for piece in Cursor::new("a,b,,c").split(b',') {
        pieces.push(String::from_utf8(piece.unwrap()).unwrap());
    }
    assert_eq!(pieces, ["a", "b", "", "c"]);
}

#[green::test(timeout_ms = 20_000)]
fn buf_writer_sends_nothing_until_flushed() {
    let (client, server) = pair();
    let mut writer = BufWriter::new(client);
    writer.write_all(b"held back").unwrap();
    assert_eq!(writer.buffer(), b"held back");

    let reader = green::spawn(move || async move {
        let mut buf = [0u8; 9];
        let mut server = server;
        server.read_exact(&mut buf).await.map(|()| (buf, server))
    });
    green::sleep(Duration::from_millis(50));
    assert!(!reader.is_ready(), "nothing should arrive before the flush");

    writer.flush().unwrap();
    assert!(writer.buffer().is_empty());
    let (buf, mut server) = reader.join().unwrap().unwrap();
    assert_eq!(&buf, b"held back");

    // into_inner flushes too.
    writer.write_all(b"tail").unwrap();
    let client = writer.into_inner().unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    server.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"tail");
}

#[green::test(timeout_ms = 20_000)]
fn write_macros_on_compat_writers() {
    let mut out = Vec::new();
    write!(out, "{}-{}", 1, "two").unwrap();
    writeln!(out).unwrap();
    writeln!(out, "{:>4}", 7).unwrap();
    assert_eq!(out, b"1-two\n   7\n");

    let (mut client, server) = pair();
    let mut buffered = BufWriter::new(client.try_clone().unwrap());
    writeln!(buffered, "buffered {}", 1).unwrap();
    buffered.flush().unwrap();
    writeln!(client, "direct {}", 2).unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    let mut text = String::new();
    BufReader::new(server).read_to_string(&mut text).unwrap();
    assert_eq!(text, "buffered 1\ndirect 2\n");
}

#[green::test(timeout_ms = 20_000)]
fn read_to_end_and_read_to_string() {
    let (mut client, mut server) = pair();
    let payload: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let expected = payload.clone();
    let writer = green::spawn(move || async move {
        client.write_all(&payload).await?;
        client.shutdown(Shutdown::Write)
    });
    let mut received = vec![1, 2, 3];
    assert_eq!(server.read_to_end(&mut received).unwrap(), expected.len());
    assert_eq!(&received[..3], [1, 2, 3]);
    assert_eq!(&received[3..], expected.as_slice());
    writer.join().unwrap().unwrap();

    let mut text = String::from("> ");
    let mut input: &[u8] = "grüße".as_bytes();
    assert_eq!(input.read_to_string(&mut text).unwrap(), 7);
    assert_eq!(text, "> grüße");

    let mut invalid: &[u8] = &[b'o', b'k', 0xc3];
    let error = invalid.read_to_string(&mut text).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert_eq!(text, "> grüße", "the buffer is unchanged on invalid UTF-8");
}

#[green::test(timeout_ms = 20_000)]
fn read_exact_on_early_end_is_unexpected_eof() {
    let mut short: &[u8] = b"abc";
    let mut buf = [0u8; 4];
    let error = short.read_exact(&mut buf).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);

    let (mut client, mut server) = pair();
    client.write_all(b"12").unwrap();
    drop(client);
    let error = server.read_exact(&mut buf).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
}

#[green::test(timeout_ms = 20_000)]
fn bytes_and_copy() {
    let mut seen = Vec::new();
    for byte in BufReader::new(&b"xyz"[..]).bytes() {
        seen.push(byte.unwrap());
    }
    assert_eq!(seen, b"xyz");

    let mut source = Cursor::new(vec![7u8; 10_000]);
    let mut sink = Vec::new();
    assert_eq!(io::copy(&mut source, &mut sink).unwrap(), 10_000);
    assert_eq!(sink, vec![7u8; 10_000]);
}

#[green::test(timeout_ms = 20_000)]
fn seek_on_cursors_and_buffered_readers() {
    use green::compat::io::{Seek, SeekFrom};

    let mut cursor = Cursor::new(b"0123456789".to_vec());
    assert_eq!(cursor.seek(SeekFrom::Start(3)).unwrap(), 3);
    assert_eq!(cursor.stream_position().unwrap(), 3);
    cursor.seek_relative(2).unwrap();
    let mut two = [0u8; 2];
    cursor.read_exact(&mut two).unwrap();
    assert_eq!(&two, b"56");
    let error = cursor.seek(SeekFrom::Current(-100)).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    cursor.rewind().unwrap();

    let mut reader = BufReader::new(cursor);
    let mut line = Vec::new();
    reader.read_until(b'4', &mut line).unwrap();
    assert_eq!(line, b"01234");
    // Seeking a BufReader drops its buffer and moves the inner cursor.
    assert_eq!(reader.seek(SeekFrom::End(-1)).unwrap(), 9);
    let mut last = String::new();
    reader.read_to_string(&mut last).unwrap();
    assert_eq!(last, "9");
}

#[green::test(timeout_ms = 20_000)]
fn take_and_chain() {
    // A length-prefixed message over TCP: `take` stops at the frame's end.
    let (mut client, server) = pair();
    client.write_all(b"5:hello+rest").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut reader = BufReader::new(server);
    let mut len = Vec::new();
    reader.read_until(b':', &mut len).unwrap();
    let len: u64 = std::str::from_utf8(&len[..len.len() - 1])
        .unwrap()
        .parse()
        .unwrap();
    let mut frame = String::new();
    let mut limited = reader.by_ref().take(len);
    limited.read_to_string(&mut frame).unwrap();
    assert_eq!(limited.limit(), 0);
    assert_eq!(frame, "hello");
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "+rest");

    // Lines across the seam of two chained readers.
    let mut lines = Vec::new();
    for line in Cursor::new("a\nb").chain(Cursor::new("c\nd\n")).lines() {
        lines.push(line.unwrap());
    }
    assert_eq!(lines, ["a", "bc", "d"]);
}
