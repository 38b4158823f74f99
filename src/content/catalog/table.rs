//! A spreadsheet as rows of text cells: a CSV file (UTF-8, UTF-8 with a BOM, UTF-16 with a
//! BOM, or GBK/GB18030 as Excel saves it on a Chinese Windows) or the first fitting sheet of
//! an `.xlsx` workbook (read with calamine; merged cells below the header carry their value
//! into every cell they cover).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::util::diag::Diagnostic;

/// One row of a sheet: its number as the spreadsheet shows it (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    /// The CSV line the row starts on, when it is not the row number (quoted line breaks).
    pub line: Option<usize>,
    pub cells: Vec<String>,
}

impl Row {
    /// The trimmed text of cell `i` (empty when the row is shorter).
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The rows of a spreadsheet, all of them (the header is found later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name, for a workbook.
    pub sheet: Option<String>,
    /// The 0-based index of the first column (a sheet's used range may start further right).
    pub first_column: usize,
    pub rows: Vec<Row>,
    /// How the text was decoded, when it was not UTF-8 (`GBK/GB18030`), for the build summary.
    pub encoding: Option<&'static str>,
}

impl Table {
    /// `sheet 商品, row 12, column 价格 (E)`: a place a buyer of Excel can find.
    pub fn place(&self, row: &Row, column: Option<(usize, &str)>) -> String {
        let mut s = String::new();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!("sheet {sheet}, "));
        }
        s.push_str(&format!("row {}", row.number));
        if let Some(line) = row.line {
            s.push_str(&format!(" (line {line})"));
        }
        if let Some((i, name)) = column {
            let letter = column_letter(self.first_column + i);
            if name.is_empty() {
                s.push_str(&format!(", column {letter}"));
            } else {
                s.push_str(&format!(", column {name} ({letter})"));
            }
        }
        s
    }
}

/// `A`, …, `Z`, `AA`, … for a 0-based column index.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Read `bytes` of `file` as a CSV or an `.xlsx` workbook, by the file's extension.
/// `wanted` tells a workbook's sheet that holds the catalog (its header row).
pub fn read(file: &Path, bytes: &[u8], wanted: impl Fn(&Row) -> bool) -> Result<Table, Diagnostic> {
    match file.extension().and_then(|x| x.to_str()) {
        Some("xlsx") => read_xlsx(file, bytes, wanted),
        _ => read_csv(file, bytes),
    }
}

/// Decode a CSV file's bytes: a BOM says the encoding; without one, UTF-8 when it is valid,
/// else GB18030 (a superset of GBK and GB2312, what Excel writes on a Chinese Windows).
pub fn decode(file: &Path, bytes: &[u8]) -> Result<(String, Option<&'static str>), Diagnostic> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec())
            .map(|s| (s, None))
            .map_err(|e| {
                Diagnostic::new(
                    file,
                    format!(
                        "the file starts with a UTF-8 mark but byte {} is not UTF-8",
                        e.utf8_error().valid_up_to() + 3
                    ),
                )
                .hint("save it again from Excel as “CSV UTF-8 (逗号分隔)(*.csv)”")
            });
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16"),
    ] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = enc.decode_with_bom_removal(bytes);
            if had_errors {
                return Err(Diagnostic::new(
                    file,
                    "the file starts with a UTF-16 mark but is not valid UTF-16",
                )
                .hint("save it again from Excel as “CSV UTF-8 (逗号分隔)(*.csv)”"));
            }
            return Ok((text.into_owned(), Some(name)));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), Some("GBK/GB18030"))),
        None => {
            let at = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            Err(Diagnostic::new(
                file,
                format!("the file is neither UTF-8 nor GBK/GB18030 text (byte {at} is neither)"),
            )
            .hint("save it again from Excel as “CSV UTF-8 (逗号分隔)(*.csv)”; Big5 files from a Traditional Chinese Windows are not read"))
        }
    }
}

/// A CSV file: comma-separated, or tab-separated when its first line has tabs and no commas
/// (Excel's “Unicode text”).
fn read_csv(file: &Path, bytes: &[u8]) -> Result<Table, Diagnostic> {
    let (text, encoding) = decode(file, bytes)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut last_start = 0;
    loop {
        let line = reader.position().line() as usize;
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                last_start = start;
                let number = rows.len() + 1;
                rows.push(Row {
                    number,
                    line: (line != number).then_some(line),
                    cells: record.iter().map(str::to_string).collect(),
                });
            }
            Err(e) => {
                return Err(Diagnostic::new(file, format!("cannot read the CSV: {e}"))
                    .line(line)
                    .hint("save the sheet again as CSV from Excel or WPS"));
            }
        }
    }
    unclosed_quote(file, text.get(last_start..).unwrap_or(""), delimiter, &rows)?;
    Ok(Table {
        sheet: None,
        first_column: 0,
        rows,
        encoding,
    })
}

/// The CSV reader takes a quote that is never closed as a field running to the end of the
/// file; say so instead of reading the rest of the sheet into one cell. `last` is the text of
/// the last record, where such a field ends up.
fn unclosed_quote(file: &Path, last: &str, delimiter: u8, rows: &[Row]) -> Result<(), Diagnostic> {
    let Some(row) = rows.last() else {
        return Ok(());
    };
    let (mut quoted, mut field_start) = (false, true);
    let mut bytes = last.bytes().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
        } else if field_start && b == b'"' {
            quoted = true;
            field_start = false;
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
    }
    if !quoted {
        return Ok(());
    }
    let start = row.line.unwrap_or(row.number);
    Err(Diagnostic::new(
        file,
        format!(
            "a quote `\"` in row {} (line {start}) is never closed, so the rest of the file would be one cell",
            row.number
        ),
    )
    .line(start)
    .hint("close the quote, or write a quote inside a cell as two quotes `\"\"`"))
}

fn read_xlsx(
    file: &Path,
    bytes: &[u8],
    wanted: impl Fn(&Row) -> bool,
) -> Result<Table, Diagnostic> {
    let broken = |e: calamine::XlsxError| {
        Diagnostic::new(file, format!("cannot read the workbook: {e}"))
            .hint("save it again from Excel or WPS as an .xlsx workbook")
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
    let names = book.sheet_names();
    for name in &names {
        let range = book.worksheet_range(name).map_err(broken)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Row> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                number: top as usize + i + 1,
                line: None,
                cells: cells.iter().map(text_of).collect(),
            })
            .collect();
        let Some(header) = rows.iter().take(super::HEADER_SEARCH).position(&wanted) else {
            continue;
        };
        if let Ok(merged) = book.merge_cells_by_sheet_name(name) {
            fill_merged(&mut rows, header, (top, left), &merged);
        }
        return Ok(Table {
            sheet: Some(name.clone()),
            first_column: left as usize,
            rows,
            encoding: None,
        });
    }
    Err(Diagnostic::new(
        file,
        format!(
            "no sheet has a header row with a title column (sheets: {})",
            names.join(", ")
        ),
    )
    .hint("give the catalog sheet a first row of column names, with one named 标题 or title"))
}

/// A merged cell below the header row gives its value to every cell it covers (a category
/// merged down the rows of one product's variants).
fn fill_merged(
    rows: &mut [Row],
    header: usize,
    (top, left): (u32, u32),
    merged: &[calamine::Dimensions],
) {
    for m in merged {
        let (r0, c0) = (
            m.start.0.saturating_sub(top) as usize,
            m.start.1.saturating_sub(left) as usize,
        );
        let (r1, c1) = (
            m.end.0.saturating_sub(top) as usize,
            m.end.1.saturating_sub(left) as usize,
        );
        if r0 <= header {
            continue;
        }
        let Some(value) = rows.get(r0).and_then(|r| r.cells.get(c0)).cloned() else {
            continue;
        };
        for row in rows.iter_mut().take(r1 + 1).skip(r0) {
            for c in c0..=c1 {
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                row.cells[c].clone_from(&value);
            }
        }
    }
}

/// A cell's value as text: numbers in their shortest exact decimal form (`1299`, `1299.5`),
/// dates as `YYYY-MM-DD` (with the time when there is one).
fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => format!("{}", dt.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn decodes_what_excel_writes() {
        let f = Path::new("products.csv");
        let text = "标题,价格\n真皮托特包,1299\n";
        assert_eq!(decode(f, text.as_bytes()).unwrap(), (text.into(), None));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(f, &bom).unwrap().0, text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(f, &gbk).unwrap(), (text.into(), Some("GBK/GB18030")));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(f, &utf16).unwrap().0, text);
        // 0x80 followed by 0xFF is in no encoding read here.
        let e = decode(f, b"a,b\n\x80\xFF\n").unwrap_err();
        assert!(e.message.contains("neither UTF-8 nor GBK"), "{e}");
    }

    #[test]
    fn csv_rows_keep_their_numbers_and_unclosed_quotes_are_named() {
        let f = Path::new("products.csv");
        let t = read(f, "a,b\n1,\"two\nlines\"\n3,4\n".as_bytes(), |_| true).unwrap();
        let numbers: Vec<_> = t.rows.iter().map(|r| (r.number, r.line)).collect();
        assert_eq!(numbers, [(1, None), (2, None), (3, Some(4))]);
        assert_eq!(t.rows[1].cells[1], "two\nlines");
        let e = read(f, "a,b\n1,\"open\n3,4\n5,6\n".as_bytes(), |_| true).unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        assert_eq!(e.line, Some(2));
        let tabs = read(f, "标题\t价格\n包\t1\n".as_bytes(), |_| true).unwrap();
        assert_eq!(tabs.rows[1].cells, ["包", "1"]);
    }

    #[test]
    fn numbers_are_read_as_written() {
        assert_eq!(text_of(&Data::Float(1299.0)), "1299");
        assert_eq!(text_of(&Data::Float(1299.5)), "1299.5");
        assert_eq!(text_of(&Data::Float(12.99)), "12.99");
        assert_eq!(text_of(&Data::Int(-5)), "-5");
    }
}
