//! Integers as decimal digits without `fmt` (its machinery costs more than the digits when a
//! writer makes hundreds of thousands of them).

/// The digits of `n`, most significant first, in `digits`' tail.
pub fn digits(mut n: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &digits[at..]
}

/// Appends the digits of `n` to `text`.
pub fn push(text: &mut String, n: u64) {
    let mut buffer = [0; 20];
    let digits = digits(n, &mut buffer);
    text.extend(digits.iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_display_writes() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(digits(n, &mut [0; 20]), n.to_string().as_bytes());
            let mut text = String::from("n=");
            push(&mut text, n);
            assert_eq!(text, format!("n={n}"));
        }
    }
}
