//! Puts the attributes on the fns inference found green, and reports the
//! green fns no attribute can fix (a std trait's method such as
//! `Drop::drop`) and the boxed jobs that would hide green work.

use syn::visit::{self, Visit};

use crate::graph::{Existing, Graph, Owner};
use crate::krate::Crate;
use crate::report::{Marked, Report};

/// Plans the attribute edits of every green fn.
pub(crate) fn mark(krate: &mut Crate, graph: &Graph, report: &mut Report) {
    let crate_traits: Vec<&str> = graph
        .fns
        .iter()
        .filter_map(|f| match &f.owner {
            Owner::TraitDecl(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    // A green trait method returns `impl Future`, which a trait object
    // cannot: where the crate writes `dyn Trait`, its green methods are
    // boxed (`#[green::green(boxed)]`), one type for every impl.
    let mut objects = TraitObjects::default();
    for unit in &krate.units {
        objects.visit_file(&unit.ast);
    }
    let boxed_for_recursion = mutual_recursion(graph);
    for (id, f) in graph.fns.iter().enumerate() {
        if !graph.green[id] {
            continue;
        }
        let users = graph
            .fns
            .iter()
            .flat_map(|g| g.values.iter().map(move |v| (g.unit, v)));
        for (unit, &(_, line)) in users.filter(|(_, (v, _))| *v == id) {
            let file = krate.units[unit].source.display.clone();
            report.left(
                &file,
                line,
                format!(
                    "green fn `{}` is passed as a value: whoever calls it must await it, so it must be called inside a green fn (write `|x| {}(x)` as a closure literal at a `spawn`, or call it directly)",
                    f.name, f.name
                ),
            );
        }
        if f.existing == Existing::Green {
            continue;
        }
        let unit = &mut krate.units[f.unit];
        let file = unit.source.display.clone();
        let (why, why_line) = graph.why[id].clone().unwrap_or_default();
        let foreign = match &f.owner {
            Owner::TraitImpl { trait_, ty } if !crate_traits.contains(&trait_.as_str()) => {
                Some((trait_, ty))
            }
            _ => None,
        };
        if let Some((trait_, ty)) = foreign {
            let what = if trait_ == "Drop" {
                format!(
                    "`impl Drop for {ty}`: `drop` does green work ({why}, line {why_line}) but the compiler calls it where nothing can wait, so it cannot be #[green]: move the body to a green method taking the value (`#[green::green] fn shutdown(mut self)`) and call it where the value was dropped (`drop(x)` becomes `x.shutdown()`; see tests/ports/PORTS.md, worker_pool)"
                )
            } else {
                format!(
                    "`impl {trait_} for {ty}`: `{}` does green work ({why}, line {why_line}) but `{trait_}` is not this crate's trait, so its signature cannot become green: move the green work to an inherent #[green] method and call that instead",
                    f.name
                )
            };
            report.left(&file, f.line, what);
            continue;
        }
        let source = &mut unit.source;
        let attribute = match f.existing {
            Existing::Test(start, end) => {
                source.replace(start, end, "#[green::test]");
                "#[green::test]".to_string()
            }
            _ => {
                let boxed = match &f.owner {
                    Owner::TraitDecl(t) | Owner::TraitImpl { trait_: t, .. } => {
                        objects.traits.contains(t)
                    }
                    _ => false,
                };
                // `fn usage() -> !` called here: never awaited (docs/porting-std.md).
                let mut diverging: Vec<&str> = f
                    .calls
                    .iter()
                    .filter(|(c, _)| graph.fns[*c].diverging && !graph.green[*c])
                    .map(|(c, _)| graph.fns[*c].name.as_str())
                    .collect();
                diverging.sort();
                diverging.dedup();
                let mut args = Vec::new();
                if boxed || boxed_for_recursion.contains(&id) {
                    args.push("boxed".to_string());
                }
                if !diverging.is_empty() && !f.is_main {
                    args.push(format!("sync({})", diverging.join(", ")));
                }
                if boxed_for_recursion.contains(&id) {
                    report.note(
                        &source.display,
                        f.line,
                        format!("`{}` calls itself through other green fns: boxed (`#[green(boxed)]`) so its future has a size", f.name),
                    );
                }
                let attribute = if f.is_main {
                    "#[green::main]".to_string()
                } else if args.is_empty() {
                    "#[green::green]".to_string()
                } else {
                    format!("#[green::green({})]", args.join(", "))
                };
                if f.is_main && !diverging.is_empty() {
                    report.left(
                        &source.display,
                        f.line,
                        format!(
                            "main calls `{}`, which returns `!`: put `#[nowait]` on those statements (a diverging call has no type to await)",
                            diverging.join("`, `")
                        ),
                    );
                }
                if matches!(
                    f.owner,
                    Owner::Inherent(_) | Owner::TraitImpl { .. } | Owner::TraitDecl(_)
                ) && crate::mirror::NEVER_AWAITED_METHODS.contains(&f.name.as_str())
                {
                    report.left(
                        &source.display,
                        f.line,
                        format!(
                            "method `{}` is green but named like a plain method (`#[green]` never awaits calls of that name): rename it",
                            f.name
                        ),
                    );
                }
                let attribute = attribute.as_str();
                let text = match source.indent_before(f.sig_start) {
                    Some(indent) => format!("{attribute}\n{indent}"),
                    None => format!("{attribute} "),
                };
                source.insert(f.sig_start, text);
                attribute.to_string()
            }
        };
        let name = match &f.owner {
            Owner::Free => f.name.clone(),
            Owner::Inherent(t) | Owner::TraitImpl { ty: t, .. } | Owner::TraitDecl(t) => {
                format!("{t}::{}", f.name)
            }
        };
        report.marked.push(Marked {
            file,
            line: f.line,
            name,
            attribute: attribute.to_string(),
            reason: format!("{why} (line {why_line})"),
        });
    }
    if graph.green.iter().any(|g| *g) {
        for unit in &krate.units {
            let mut jobs = DynJobs { lines: Vec::new() };
            jobs.visit_file(&unit.ast);
            for line in jobs.lines {
                report.left(
                    &unit.source.display,
                    line,
                    "a `dyn Fn*` type (a boxed job): if the closures stored in it do green work (socket or file I/O, locks, joins), it must return that work boxed: `Box<dyn FnOnce() -> green::BoxGreen<'static, ()> + Send>`, with `move || work().boxed()` where a job is made (docs/porting-std.md, \"Storing green work\"; tests/ports/PORTS.md, book_threadpool); jobs doing only plain work need nothing".to_string(),
                );
            }
        }
    }
}

/// Finds `dyn Fn() ..`/`dyn FnMut`/`dyn FnOnce` types that do not return
/// `BoxGreen` already.
struct DynJobs {
    lines: Vec<usize>,
}

impl<'ast> Visit<'ast> for DynJobs {
    fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
        for bound in &object.bounds {
            let last = match bound {
                syn::TypeParamBound::Trait(t) => t.path.segments.last(),
                _ => None,
            };
            let Some(last) = last else { continue };
            if matches!(last.ident.to_string().as_str(), "Fn" | "FnMut" | "FnOnce") {
                let returns_green = match &last.arguments {
                    syn::PathArguments::Parenthesized(p) => {
                        quote::ToTokens::to_token_stream(&p.output)
                            .to_string()
                            .contains("BoxGreen")
                    }
                    _ => false,
                };
                if !returns_green {
                    self.lines.push(last.ident.span().start().line);
                }
            }
        }
        visit::visit_type_trait_object(self, object);
    }
}

/// The traits the crate uses as `dyn Trait`.
#[derive(Default)]
struct TraitObjects {
    traits: Vec<String>,
}

impl<'ast> Visit<'ast> for TraitObjects {
    fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
        for bound in &object.bounds {
            if let syn::TypeParamBound::Trait(t) = bound {
                if let Some(last) = t.path.segments.last() {
                    self.traits.push(last.ident.to_string());
                }
            }
        }
        visit::visit_type_trait_object(self, object);
    }
}

/// Green fns that reach themselves through other green fns (`even` calls
/// `odd` calls `even`): their futures would contain each other (rustc
/// E0733), so one fn of each cycle is boxed. Direct self-recursion the
/// macro boxes itself.
fn mutual_recursion(graph: &Graph) -> Vec<usize> {
    let mut boxed: Vec<usize> = Vec::new();
    for start in 0..graph.fns.len() {
        if !graph.green[start] {
            continue;
        }
        let mut seen = vec![false; graph.fns.len()];
        let mut stack: Vec<usize> = graph.fns[start]
            .calls
            .iter()
            .map(|(c, _)| *c)
            .filter(|&c| c != start)
            .collect();
        let mut cycle = false;
        while let Some(at) = stack.pop() {
            if at == start {
                cycle = true;
                break;
            }
            if seen[at] || !graph.green[at] || boxed.contains(&at) {
                continue;
            }
            seen[at] = true;
            stack.extend(graph.fns[at].calls.iter().map(|(c, _)| *c));
        }
        if cycle {
            boxed.push(start);
        }
    }
    boxed
}
