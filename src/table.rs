//! The one reader of the data tables in `rules/*.tsv` (embedded at build time).
//!
//! A table is tab-separated text: `#` lines are comments, blank lines are skipped, the first other
//! line is the header naming the columns, and every row has exactly as many cells as the header.
//! Columns are read by name, so a column can be added or moved without touching the readers. A
//! malformed table is an error naming the table and the line; the embedded tables are loaded by
//! a test, so such an error never ships.

use std::fmt;

/// A parsed table.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    header: Vec<&'static str>,
    rows: Vec<Row>,
}

/// A row of a table, with the line it was written on.
#[derive(Debug)]
pub struct Row {
    pub line: usize,
    cells: Vec<&'static str>,
}

/// A problem in a table, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub table: &'static str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}: {}", self.table, self.line, self.message)
    }
}

impl std::error::Error for TableError {}

impl Table {
    /// Parses a table (`name` is for messages: `rules/roles.tsv`).
    pub fn parse(name: &'static str, text: &'static str) -> Result<Table, TableError> {
        let mut header: Option<Vec<&'static str>> = None;
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cells: Vec<&'static str> = line.split('\t').map(str::trim).collect();
            match &header {
                None => {
                    if let Some(dup) = cells
                        .iter()
                        .enumerate()
                        .find(|(j, c)| cells[..*j].contains(c))
                    {
                        return Err(TableError {
                            table: name,
                            line: line_no,
                            message: format!("column `{}` named twice", dup.1),
                        });
                    }
                    header = Some(cells);
                }
                Some(h) if cells.len() != h.len() => {
                    return Err(TableError {
                        table: name,
                        line: line_no,
                        message: format!("{} cells, the header has {}", cells.len(), h.len()),
                    })
                }
                Some(_) => rows.push(Row {
                    line: line_no,
                    cells,
                }),
            }
        }
        let Some(header) = header else {
            return Err(TableError {
                table: name,
                line: 0,
                message: "no header line".into(),
            });
        };
        Ok(Table { name, header, rows })
    }

    /// Parses an embedded table; a malformed one is a bug in the build (tested), so it panics
    /// with the table's name and line.
    pub fn embedded(name: &'static str, text: &'static str) -> Table {
        Table::parse(name, text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The index of a column; an error when the table has no such column.
    pub fn column(&self, column: &str) -> Result<usize, TableError> {
        self.header
            .iter()
            .position(|h| *h == column)
            .ok_or_else(|| TableError {
                table: self.name,
                line: 0,
                message: format!("no column `{column}`"),
            })
    }

    /// Maps every row with `f`, which reads cells with [`Cells::get`]; the first error (an unknown
    /// column, a value `f` rejects) comes back with the row's line.
    pub fn map<T>(
        &self,
        mut f: impl FnMut(&Cells<'_>) -> Result<T, String>,
    ) -> Result<Vec<T>, TableError> {
        self.rows
            .iter()
            .map(|row| {
                f(&Cells { table: self, row }).map_err(|message| TableError {
                    table: self.name,
                    line: row.line,
                    message,
                })
            })
            .collect()
    }

    /// [`Table::map`] for an embedded table: panics with the table's name and line.
    pub fn map_embedded<T>(&self, f: impl FnMut(&Cells<'_>) -> Result<T, String>) -> Vec<T> {
        self.map(f).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The cells of one row, by column name.
pub struct Cells<'t> {
    table: &'t Table,
    row: &'t Row,
}

impl Cells<'_> {
    /// The cell in this column.
    pub fn get(&self, column: &str) -> Result<&'static str, String> {
        let i = self.table.column(column).map_err(|e| e.message)?;
        Ok(self.row.cells[i])
    }

    /// The cell, `None` when it is `-` (the tables' "none").
    pub fn opt(&self, column: &str) -> Result<Option<&'static str>, String> {
        self.get(column).map(|c| (c != "-").then_some(c))
    }

    /// The comma-separated items of a cell (`-` for none).
    pub fn list(&self, column: &str) -> Result<Vec<&'static str>, String> {
        Ok(match self.opt(column)? {
            Some(c) => c
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        })
    }

    pub fn line(&self) -> usize {
        self.row.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `rules/*.tsv` is read through this module (`Table::parse` or `Table::embedded`
    /// names it), and no other source file splits lines on tabs.
    #[test]
    fn every_table_is_read_by_this_reader() {
        fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    sources(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push((
                        p.display().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut src = Vec::new();
        sources(&root.join("src"), &mut src);
        for (path, text) in &src {
            if !path.ends_with("table.rs") {
                assert!(
                    !text.contains("split('\\t')"),
                    "{path} reads a table by hand"
                );
            }
        }
        let mut tables = 0;
        for e in std::fs::read_dir(root.join("rules")).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".tsv") {
                continue;
            }
            tables += 1;
            let named = format!("\"rules/{name}\"");
            assert!(
                src.iter()
                    .any(|(_, t)| t.lines().any(|l| l.contains(&named))
                        && (t.contains("Table::embedded(") || t.contains("Table::parse("))),
                "rules/{name} is not read with table::Table"
            );
        }
        assert!(tables >= 8);
    }

    #[test]
    fn reads_columns_by_header_and_names_bad_lines() {
        let t = Table::parse("t.tsv", "# comment\na\tb\n\n1\t-\n2\tx, y\n").unwrap();
        let rows = t
            .map(|c| Ok((c.get("a")?, c.opt("b")?, c.list("b")?, c.line())))
            .unwrap();
        assert_eq!(rows[0], ("1", None, vec![], 4));
        assert_eq!(rows[1], ("2", Some("x, y"), vec!["x", "y"], 5));
        let err = t.map(|c| c.get("nope")).unwrap_err();
        assert_eq!(err.to_string(), "t.tsv line 4: no column `nope`");
        let short = Table::parse("t.tsv", "a\tb\n1\t2\n3\n").unwrap_err();
        assert_eq!(short.to_string(), "t.tsv line 3: 1 cells, the header has 2");
        let long = Table::parse("t.tsv", "a\tb\n1\t2\t3\n").unwrap_err();
        assert_eq!(long.line, 2);
        assert!(Table::parse("t.tsv", "# only\n").is_err());
        assert!(Table::parse("t.tsv", "a\ta\n").is_err());
        let rejected = t.map(|c| match c.get("a")? {
            "2" => Err("two is not allowed".into()),
            a => Ok(a),
        });
        assert_eq!(
            rejected.unwrap_err().to_string(),
            "t.tsv line 5: two is not allowed"
        );
    }
}
