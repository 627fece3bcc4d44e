//! Run shell commands and capture their output and exit status.

use std::process::Command;

fn main() {
    let output = Command::new("sh")
        .arg("-c")
        .arg("echo hello from sh; echo oops >&2; exit 3")
        .output()
        .expect("failed to execute process");
    println!("status: {:?}", output.status.code());
    println!("success: {}", output.status.success());
    println!("stdout: {:?}", String::from_utf8_lossy(&output.stdout));
    println!("stderr: {:?}", String::from_utf8_lossy(&output.stderr));

    let listing = Command::new("sh")
        .args(["-c", "printf '%s\\n' one two three | wc -l"])
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    println!(
        "lines counted by wc: {}",
        String::from_utf8_lossy(&listing.stdout).trim()
    );

    let status = Command::new("sh").arg("-c").arg("exit 0").status().unwrap();
    println!("plain status ok: {}", status.success());

    let with_env = Command::new("sh")
        .arg("-c")
        .arg("echo \"$GREETING, $NAME\"")
        .env("GREETING", "hi")
        .env("NAME", "ports")
        .output()
        .unwrap();
    print!("{}", String::from_utf8(with_env.stdout).unwrap());

    match Command::new("definitely-not-a-real-program-xyz").output() {
        Ok(_) => println!("missing program ran?"),
        Err(e) => println!("missing program: {:?}", e.kind()),
    }
}
