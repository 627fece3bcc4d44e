//! Green inference: the crate's call graph and its fixpoint.
//!
//! A node is a fn: a free fn, an inherent method, a trait method's
//! declaration or one of its impls. A closure is part of the fn that writes
//! it (the macro makes a closure literal handed to `thread::spawn`, `scope`,
//! `timeout` green work, so its caller only has to be green itself). A node
//! is green when its body calls a compat op that blocks (see
//! [`crate::mirror`]) or a green node; greenness then flows to callers until
//! nothing changes. Paths resolve through the crate's own `use`s and `mod`s;
//! a method call resolves by receiver type when the tool can see it (a
//! typed parameter or `let`, `self`, a field of `self`), else by its name
//! among the crate's methods.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ImplItem, Item, TraitItem, Type, UseTree};

use crate::krate::Crate;
use crate::mirror;
use crate::report::Report;

/// Who owns a fn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    Free,
    Inherent(String),
    TraitDecl(String),
    TraitImpl { trait_: String, ty: String },
}

/// The green attribute a fn already carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    None,
    Green,
    /// `#[test]`, at this byte range (replaced by `#[green::test]`).
    Test(usize, usize),
}

/// A fn of the crate.
#[derive(Debug)]
pub(crate) struct FnNode {
    pub(crate) unit: usize,
    pub(crate) root: usize,
    pub(crate) module: Vec<String>,
    pub(crate) name: String,
    pub(crate) owner: Owner,
    pub(crate) line: usize,
    /// Byte offset of the fn's first token after its attributes.
    pub(crate) sig_start: usize,
    pub(crate) existing: Existing,
    /// `fn main` at the root of a crate.
    pub(crate) is_main: bool,
    /// The first blocking op the body calls, with its line.
    pub(crate) direct: Option<(String, usize)>,
    /// Calls of the crate's own fns: callee, line.
    pub(crate) calls: Vec<(usize, usize)>,
    /// The crate's fns named as values (`map(handle)`): fn, line.
    pub(crate) values: Vec<(usize, usize)>,
    /// Returns `!` (`fn usage() -> !`).
    pub(crate) diverging: bool,
}

/// The graph and what it decided.
#[derive(Debug)]
pub(crate) struct Graph {
    pub(crate) fns: Vec<FnNode>,
    pub(crate) green: Vec<bool>,
    /// Why each green fn is green: (text, line).
    pub(crate) why: Vec<Option<(String, usize)>>,
}

/// What a `use` brings into a module: alias -> full path (std paths start
/// with `std`, compat's are written as std's; the crate's with `crate`).
#[derive(Debug, Default)]
struct Scope {
    names: HashMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
}

/// Everything collected before bodies are read.
#[derive(Debug, Default)]
struct Index {
    fns: Vec<FnNode>,
    /// (root, module path + name) -> fn ids.
    free: HashMap<(usize, Vec<String>), Vec<usize>>,
    /// type name -> method name -> fn ids.
    methods: HashMap<String, HashMap<String, Vec<usize>>>,
    /// method name -> fn ids (every owner).
    by_name: HashMap<String, Vec<usize>>,
    /// trait name -> method name -> ids (declaration and impls).
    traits: HashMap<String, HashMap<String, Vec<usize>>>,
    /// (root, module) -> scope.
    scopes: HashMap<(usize, Vec<String>), Scope>,
    /// (root, module path) of every module.
    modules: BTreeSet<(usize, Vec<String>)>,
    /// (root, struct name) -> field -> type head.
    fields: HashMap<(usize, String), HashMap<String, String>>,
    /// Types defined by the crate: name -> the roots defining one.
    types: HashMap<String, BTreeSet<usize>>,
    /// The library's root, whose items every other root sees.
    lib_root: Option<usize>,
}

/// The head name of a type, through references and the pointers that
/// forward method calls (`&Arc<Mutex<T>>` -> `Mutex`).
fn type_head(ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(r) => type_head(&r.elem),
        Type::Paren(p) => type_head(&p.elem),
        Type::Path(p) => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            if matches!(name.as_str(), "Arc" | "Rc" | "Box") {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return type_head(inner);
                    }
                }
            }
            Some(name)
        }
        _ => None,
    }
}

/// Whether the attributes hold a green attribute or `#[test]`.
fn existing(attrs: &[syn::Attribute], file: &crate::source::SourceFile) -> Existing {
    for attr in attrs {
        let path = attr.path();
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        match segs.as_slice() {
            ["green"] | ["green", "green"] | ["green", "main"] | ["green", "test"] => {
                return Existing::Green;
            }
            _ => {}
        }
    }
    for attr in attrs {
        if attr.path().is_ident("test") {
            let span = attr.span();
            return Existing::Test(file.offset(span.start()), file.offset(span.end()));
        }
    }
    Existing::None
}

impl Index {
    fn add_fn(&mut self, node: FnNode) -> usize {
        let id = self.fns.len();
        let name = &node.name;
        match &node.owner {
            Owner::Free => {
                let mut key = node.module.clone();
                key.push(name.clone());
                self.free.entry((node.root, key)).or_default().push(id);
            }
            Owner::Inherent(ty) => file_under(&mut self.methods, ty, name, id),
            Owner::TraitDecl(trait_) => file_under(&mut self.traits, trait_, name, id),
            Owner::TraitImpl { trait_, ty } => {
                file_under(&mut self.methods, ty, name, id);
                file_under(&mut self.traits, trait_, name, id);
            }
        }
        if !matches!(node.owner, Owner::Free) {
            self.by_name.entry(name.clone()).or_default().push(id);
        }
        self.fns.push(node);
        id
    }
}

/// Files fn `id` as `owner`'s method `name` (a type's or a trait's).
fn file_under(
    table: &mut HashMap<String, HashMap<String, Vec<usize>>>,
    owner: &str,
    name: &str,
    id: usize,
) {
    table
        .entry(owner.to_owned())
        .or_default()
        .entry(name.to_owned())
        .or_default()
        .push(id);
}

/// Normalises a use path: `green::compat::x` and `core::x` read as `std::x`,
/// `self::`/`super::`/a child module become `crate::..`.
fn normalise(path: &[String], module: &[String], lib_name: Option<&str>) -> Vec<String> {
    let Some(first) = path.first() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    match first.as_str() {
        "green" if path.get(1).is_some_and(|s| s == "compat") => {
            out.push("std".into());
            out.extend(path[2..].iter().cloned());
        }
        "std" | "core" | "alloc" => {
            out.push("std".into());
            out.extend(path[1..].iter().cloned());
        }
        "crate" => out.extend(path.iter().cloned()),
        "self" => {
            out.push("crate".into());
            out.extend(module.iter().cloned());
            out.extend(path[1..].iter().cloned());
        }
        "super" => {
            out.push("crate".into());
            out.extend(module[..module.len().saturating_sub(1)].iter().cloned());
            out.extend(path[1..].iter().cloned());
        }
        name if Some(name) == lib_name => {
            out.push("crate".into());
            out.extend(path[1..].iter().cloned());
        }
        _ => out.extend(path.iter().cloned()),
    }
    out
}

fn collect_use(
    tree: &UseTree,
    prefix: &mut Vec<String>,
    scope: &mut Vec<(String, Vec<String>)>,
    globs: &mut Vec<Vec<String>>,
) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, scope, globs);
            prefix.pop();
        }
        UseTree::Name(n) => {
            if n.ident == "self" {
                if let Some(last) = prefix.last() {
                    scope.push((last.clone(), prefix.clone()));
                }
            } else {
                let mut full = prefix.clone();
                full.push(n.ident.to_string());
                scope.push((n.ident.to_string(), full));
            }
        }
        UseTree::Rename(r) => {
            let mut full = prefix.clone();
            if r.ident != "self" {
                full.push(r.ident.to_string());
            }
            scope.push((r.rename.to_string(), full));
        }
        UseTree::Glob(_) => globs.push(prefix.clone()),
        UseTree::Group(g) => g
            .items
            .iter()
            .for_each(|t| collect_use(t, prefix, scope, globs)),
    }
}

/// Pass 1: fns, types, scopes, modules of one file's items.
struct Collect<'i, 'a> {
    index: &'i mut Index,
    unit: usize,
    root: usize,
    file: &'a crate::source::SourceFile,
    module: Vec<String>,
    lib_name: Option<&'a str>,
    bodies: &'i mut Vec<Body<'a>>,
}

/// A body to read in pass 2.
struct Body<'a> {
    id: usize,
    block: &'a syn::Block,
    inputs: Vec<&'a syn::FnArg>,
    self_ty: Option<String>,
}

impl<'a> Collect<'_, 'a> {
    fn items(&mut self, items: &'a [Item]) {
        self.index.modules.insert((self.root, self.module.clone()));
        for item in items {
            self.item(item);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn node(
        &mut self,
        attrs: &[syn::Attribute],
        sig: &'a syn::Signature,
        first: proc_macro2::Span,
        owner: Owner,
        block: Option<&'a syn::Block>,
        self_ty: Option<String>,
    ) {
        let name = sig.ident.to_string();
        let is_main = owner == Owner::Free && name == "main" && self.module.is_empty();
        let node = FnNode {
            unit: self.unit,
            root: self.root,
            module: self.module.clone(),
            name,
            owner,
            line: sig.fn_token.span.start().line,
            sig_start: self.file.offset(first.start()),
            existing: existing(attrs, self.file),
            is_main,
            direct: None,
            calls: Vec::new(),
            values: Vec::new(),
            diverging: matches!(&sig.output, syn::ReturnType::Type(_, ty) if matches!(**ty, Type::Never(_))),
        };
        let id = self.index.add_fn(node);
        if let Some(block) = block {
            self.bodies.push(Body {
                id,
                block,
                inputs: sig.inputs.iter().collect(),
                self_ty,
            });
        }
    }

    /// Items declared inside a body (`fn helper() {..}` in a fn): nodes of
    /// the enclosing module, as the tool resolves names.
    fn nested(&mut self, block: &'a syn::Block) {
        for stmt in &block.stmts {
            if let syn::Stmt::Item(item) = stmt {
                self.item(item);
            }
        }
    }

    fn item(&mut self, item: &'a Item) {
        match item {
            Item::Fn(f) => {
                let first = first_span_after_attrs(&f.vis, f.sig.span());
                self.node(&f.attrs, &f.sig, first, Owner::Free, Some(&f.block), None);
                self.nested(&f.block);
            }
            Item::Impl(imp) => {
                let Some(ty) = type_head(&imp.self_ty) else {
                    return;
                };
                self.index
                    .types
                    .entry(ty.clone())
                    .or_default()
                    .insert(self.root);
                let trait_ = imp
                    .trait_
                    .as_ref()
                    .and_then(|(_, path, _)| path.segments.last())
                    .map(|s| s.ident.to_string());
                for it in &imp.items {
                    if let ImplItem::Fn(f) = it {
                        let owner = match &trait_ {
                            Some(t) => Owner::TraitImpl {
                                trait_: t.clone(),
                                ty: ty.clone(),
                            },
                            None => Owner::Inherent(ty.clone()),
                        };
                        let first = first_span_after_attrs(&f.vis, f.sig.span());
                        self.node(
                            &f.attrs,
                            &f.sig,
                            first,
                            owner,
                            Some(&f.block),
                            Some(ty.clone()),
                        );
                        self.nested(&f.block);
                    }
                }
            }
            Item::Trait(t) => {
                let name = t.ident.to_string();
                for it in &t.items {
                    if let TraitItem::Fn(f) = it {
                        self.node(
                            &f.attrs,
                            &f.sig,
                            f.sig.span(),
                            Owner::TraitDecl(name.clone()),
                            f.default.as_ref(),
                            Some("Self".into()),
                        );
                    }
                }
            }
            Item::Struct(s) => {
                let name = s.ident.to_string();
                self.index
                    .types
                    .entry(name.clone())
                    .or_default()
                    .insert(self.root);
                let fields = self.index.fields.entry((self.root, name)).or_default();
                for field in &s.fields {
                    if let (Some(ident), Some(head)) = (&field.ident, type_head(&field.ty)) {
                        fields.insert(ident.to_string(), head);
                    }
                }
            }
            Item::Enum(e) => {
                self.index
                    .types
                    .entry(e.ident.to_string())
                    .or_default()
                    .insert(self.root);
            }
            Item::Use(u) => {
                let mut names = Vec::new();
                let mut globs = Vec::new();
                collect_use(&u.tree, &mut Vec::new(), &mut names, &mut globs);
                let scope = self
                    .index
                    .scopes
                    .entry((self.root, self.module.clone()))
                    .or_default();
                for (alias, path) in names {
                    scope
                        .names
                        .insert(alias, normalise(&path, &self.module, self.lib_name));
                }
                for glob in globs {
                    scope
                        .globs
                        .push(normalise(&glob, &self.module, self.lib_name));
                }
            }
            Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    self.module.push(m.ident.to_string());
                    self.items(items);
                    self.module.pop();
                } else {
                    let mut child = self.module.clone();
                    child.push(m.ident.to_string());
                    self.index.modules.insert((self.root, child));
                }
            }
            _ => {}
        }
    }
}

/// The span where a fn's signature starts (its visibility, else `fn` or a
/// qualifier): the attribute goes right before it, after doc comments and
/// other attributes.
fn first_span_after_attrs(vis: &syn::Visibility, sig: proc_macro2::Span) -> proc_macro2::Span {
    match vis {
        syn::Visibility::Inherited => sig,
        other => other.span(),
    }
}

/// Pass 2: reads one body for blocking ops and calls.
struct Read<'i> {
    index: &'i Index,
    lib_name: Option<&'i str>,
    file: String,
    root: usize,
    module: Vec<String>,
    self_ty: Option<String>,
    locals: HashMap<String, String>,
    params: BTreeSet<String>,
    direct: Option<(String, usize)>,
    calls: Vec<(usize, usize)>,
    values: Vec<(usize, usize)>,
    /// Locals bound to a closure literal.
    closures: BTreeSet<String>,
    /// Every name a pattern of the body binds (`let`, `match`, `for`,
    /// closure parameters): such a name shadows a fn of the same name.
    bound: BTreeSet<String>,
    report: &'i mut Report,
}

/// Collects the names the patterns of a body bind.
struct Bindings(BTreeSet<String>);

impl Bindings {
    fn of(block: &syn::Block) -> BTreeSet<String> {
        let mut bindings = Bindings(BTreeSet::new());
        bindings.visit_block(block);
        bindings.0
    }
}

impl<'ast> Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.0.insert(pat.ident.to_string());
        visit::visit_pat_ident(self, pat);
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}

/// What a path in a body names.
enum Resolved {
    /// The crate's own fns (several: a trait method's impls).
    Crate(Vec<usize>),
    /// A std or compat path, after `std` (and as written).
    Std(String, String),
    /// A parameter or local: a callback.
    Local(String),
    Unknown,
}

const TEXT_TYPES: &[&str] = &["String", "str", "Cow"];
const READER_TYPES: &[&str] = &[
    "BufReader",
    "StdinLock",
    "Stdin",
    "File",
    "TcpStream",
    "UnixStream",
    "Cursor",
    "ChildStdout",
    "ChildStderr",
    "Lines",
];
const TEXT_METHODS: &[&str] = &[
    "to_string",
    "trim",
    "trim_start",
    "trim_end",
    "as_str",
    "to_uppercase",
    "to_lowercase",
    "to_owned",
    "replace",
];

impl Read<'_> {
    /// The roots whose items this body sees: its own and the library's.
    fn roots(&self) -> Vec<usize> {
        let mut roots = vec![self.root];
        roots.extend(self.index.lib_root.filter(|&lib| lib != self.root));
        roots
    }

    /// `ids` less the fns of other crate roots (another bin's `Pool::new`).
    fn visible(&self, ids: &[usize]) -> Option<Vec<usize>> {
        let roots = self.roots();
        let ids: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&id| roots.contains(&self.index.fns[id].root))
            .collect();
        (!ids.is_empty()).then_some(ids)
    }

    fn blocking(&mut self, what: String, line: usize) {
        if self.direct.is_none() {
            self.direct = Some((what, line));
        }
    }

    /// The type of an expression, where it is plain to see.
    fn type_of(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                if name == "self" {
                    self.self_ty.clone()
                } else {
                    self.locals.get(&name).cloned()
                }
            }
            Expr::Field(f) => {
                let base = self.type_of(&f.base)?;
                let syn::Member::Named(field) = &f.member else {
                    return None;
                };
                let field = field.to_string();
                self.roots().into_iter().find_map(|root| {
                    self.index
                        .fields
                        .get(&(root, base.clone()))?
                        .get(&field)
                        .cloned()
                })
            }
            Expr::Reference(r) => self.type_of(&r.expr),
            Expr::Paren(p) => self.type_of(&p.expr),
            Expr::Try(t) => self.type_of(&t.expr),
            Expr::Lit(l) if matches!(l.lit, syn::Lit::Str(_)) => Some("str".into()),
            Expr::Macro(m) if m.mac.path.is_ident("format") => Some("String".into()),
            Expr::Struct(s) => s.path.segments.last().map(|s| s.ident.to_string()),
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return None };
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segs.last().is_some_and(|l| l == "read_to_string") {
                    return Some("String".into());
                }
                if segs.len() >= 2 {
                    let ty = &segs[segs.len() - 2];
                    if ty.starts_with(char::is_uppercase) {
                        return Some(if ty == "Self" {
                            self.self_ty.clone()?
                        } else {
                            ty.clone()
                        });
                    }
                }
                None
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if TEXT_METHODS.contains(&name.as_str()) {
                    return Some("String".into());
                }
                if matches!(
                    name.as_str(),
                    "unwrap" | "expect" | "clone" | "as_ref" | "as_mut" | "as_deref"
                ) {
                    return self.type_of(&m.receiver);
                }
                if name == "lock" && self.type_of(&m.receiver).is_some_and(|t| t == "Stdin") {
                    return Some("StdinLock".into());
                }
                None
            }
            _ => None,
        }
    }

    fn bind(&mut self, pat: &syn::Pat, ty: Option<String>) {
        match pat {
            syn::Pat::Ident(i) => {
                if let Some(ty) = ty {
                    self.locals.insert(i.ident.to_string(), ty);
                } else {
                    self.locals.remove(&i.ident.to_string());
                }
            }
            syn::Pat::Type(t) => self.bind(&t.pat, type_head(&t.ty)),
            syn::Pat::Reference(r) => self.bind(&r.pat, ty),
            _ => {}
        }
    }

    /// `let (tx, rx) = mpsc::sync_channel(n)`: the two ends' types.
    fn bind_channel(&mut self, pat: &syn::Pat, init: &Expr) {
        let syn::Pat::Tuple(t) = pat else { return };
        let Expr::Call(c) = init else { return };
        let Expr::Path(p) = &*c.func else { return };
        let Some(last) = p.path.segments.last() else {
            return;
        };
        let sender = match last.ident.to_string().as_str() {
            "channel" => "Sender",
            "sync_channel" => "SyncSender",
            _ => return,
        };
        if t.elems.len() == 2 {
            self.bind(&t.elems[0], Some(sender.into()));
            self.bind(&t.elems[1], Some("Receiver".into()));
        }
    }

    /// The full path a path expression names, through the module's `use`s.
    fn expand(&self, segs: &[String]) -> Vec<String> {
        let Some(first) = segs.first() else {
            return Vec::new();
        };
        if matches!(
            first.as_str(),
            "crate" | "self" | "super" | "std" | "core" | "alloc"
        ) || (first == "green" && segs.get(1).is_some_and(|s| s == "compat"))
            || Some(first.as_str()) == self.lib_name
        {
            return normalise(segs, &self.module, self.lib_name);
        }
        let scope = self.index.scopes.get(&(self.root, self.module.clone()));
        if let Some(full) = scope.and_then(|s| s.names.get(first)) {
            let mut out = full.clone();
            out.extend(segs[1..].iter().cloned());
            return out;
        }
        let mut local = vec!["crate".to_string()];
        local.extend(self.module.iter().cloned());
        let mut child = self.module.clone();
        child.push(first.clone());
        if self.index.modules.contains(&(self.root, child)) || segs.len() == 1 {
            local.extend(segs.iter().cloned());
            return local;
        }
        if let Some(scope) = scope {
            for glob in &scope.globs {
                if glob.first().is_some_and(|g| g == "std") {
                    let module = glob[1..].join("::");
                    if mirror::mirrors(&module, first) {
                        let mut out = glob.clone();
                        out.extend(segs.iter().cloned());
                        return out;
                    }
                }
            }
        }
        segs.to_vec()
    }

    /// What a path names: the crate's fns, a std (or compat) path, or
    /// something the tool does not follow.
    fn resolve(&self, path: &syn::ExprPath, value: bool) -> Resolved {
        let segs: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if segs.is_empty() || path.qself.is_some() {
            return Resolved::Unknown;
        }
        // `Self::f` and `Type::f` of the crate's own types.
        if segs.len() == 2 {
            let ty = if segs[0] == "Self" {
                self.self_ty.clone()
            } else {
                Some(segs[0].clone())
            };
            let ids = ty.and_then(|ty| self.visible(self.index.methods.get(&ty)?.get(&segs[1])?));
            if let Some(ids) = ids {
                return Resolved::Crate(ids);
            }
            let ids = self
                .index
                .traits
                .get(&segs[0])
                .and_then(|m| m.get(&segs[1]))
                .and_then(|ids| self.visible(ids));
            if let Some(ids) = ids {
                return Resolved::Crate(ids);
            }
        }
        // Scopes are not tracked: a parameter or a local closure wins over
        // a fn of the same name, any other binding only when no fn has it.
        let local =
            segs.len() == 1 && (self.params.contains(&segs[0]) || self.closures.contains(&segs[0]));
        let bound = segs.len() == 1
            && (self.locals.contains_key(&segs[0]) || self.bound.contains(&segs[0]));
        if local || (bound && value) {
            return Resolved::Local(segs[0].clone());
        }
        let full = self.expand(&segs);
        if bound
            && !(full.first().is_some_and(|f| f == "crate")
                && self
                    .index
                    .free
                    .contains_key(&(self.root, full[1..].to_vec())))
        {
            return Resolved::Local(segs[0].clone());
        }
        match full.first().map(String::as_str) {
            Some("std") => Resolved::Std(full[1..].join("::"), segs.join("::")),
            Some("crate") => {
                // `my_lib::f` from a bin reads as `crate::f`: the library's.
                let key = full[1..].to_vec();
                let free = self
                    .roots()
                    .into_iter()
                    .find_map(|root| self.index.free.get(&(root, key.clone())));
                if let Some(ids) = free {
                    Resolved::Crate(ids.clone())
                } else if full.len() >= 3 {
                    let ty = &full[full.len() - 2];
                    self.index
                        .methods
                        .get(ty)
                        .and_then(|m| m.get(&full[full.len() - 1]))
                        .and_then(|ids| self.visible(ids))
                        .map_or(Resolved::Unknown, Resolved::Crate)
                } else {
                    Resolved::Unknown
                }
            }
            _ => Resolved::Unknown,
        }
    }

    fn call_path(&mut self, call: &syn::ExprCall, path: &syn::ExprPath, line: usize) {
        match self.resolve(path, false) {
            Resolved::Crate(ids) => self.calls.extend(ids.iter().map(|&id| (id, line))),
            Resolved::Std(full, written) => {
                if mirror::BLOCKING_PATHS.contains(&full.as_str()) {
                    self.blocking(format!("calls {written}"), line);
                }
                if matches!(full.as_str(), "thread::spawn" | "thread::scope") {
                    self.stored_closure(call.args.first(), line);
                }
            }
            Resolved::Local(name) => self.report.left(
                &self.file,
                line,
                format!(
                    "`{name}(..)` calls a value (a callback, closure or fn pointer) the tool cannot follow: if what it calls does green work, the fn passing it must be green and a boxed one must return `green::BoxGreen` (docs/porting-std.md)"
                ),
            ),
            Resolved::Unknown => {}
        }
    }

    /// `thread::spawn(work)` with `work` a closure stored earlier: the
    /// closure rule sees only closures written at the call.
    fn stored_closure(&mut self, arg: Option<&Expr>, line: usize) {
        let Some(Expr::Path(p)) = arg else { return };
        if p.path.segments.len() != 1 {
            return;
        }
        let name = p.path.segments[0].ident.to_string();
        if self.params.contains(&name)
            || self.locals.contains_key(&name)
            || self.closures.contains(&name)
        {
            self.report.left(
                &self.file,
                line,
                format!(
                    "`{name}` is spawned as a value: a closure is green work only where it is written at the `spawn`; write it there, or mark it `#[green] move || ..` where it is made"
                ),
            );
        }
    }

    fn call_method(&mut self, call: &syn::ExprMethodCall, line: usize) {
        let name = call.method.to_string();
        if mirror::BLOCKING_WITH_ARGUMENTS.contains(&name.as_str()) {
            self.stored_closure(call.args.first(), line);
        }
        let receiver = self.type_of(&call.receiver);
        // The crate's own methods.
        let roots = self.roots();
        let crate_type = receiver.as_ref().filter(|ty| {
            self.index
                .types
                .get(*ty)
                .is_some_and(|defined| roots.iter().any(|r| defined.contains(r)))
        });
        if let Some(ty) = crate_type {
            let ids = self
                .index
                .methods
                .get(ty)
                .and_then(|m| m.get(&name))
                .and_then(|ids| self.visible(ids));
            if let Some(ids) = ids {
                self.calls.extend(ids.iter().map(|&id| (id, line)));
                return;
            }
            // A trait's default method, or a method of a trait the type has.
            let ids: Vec<usize> = self
                .index
                .by_name
                .get(&name)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&id| matches!(self.index.fns[id].owner, Owner::TraitDecl(_)))
                .filter(|&id| roots.contains(&self.index.fns[id].root))
                .collect();
            if !ids.is_empty() {
                self.calls.extend(ids.iter().map(|&id| (id, line)));
                return;
            }
        }
        let by_name = receiver
            .is_none()
            .then(|| self.index.by_name.get(&name))
            .flatten()
            .and_then(|ids| self.visible(ids));
        if let Some(ids) = by_name {
            self.calls.extend(ids.iter().map(|&id| (id, line)));
            let owners: BTreeSet<String> = ids
                .iter()
                .map(|&id| match &self.index.fns[id].owner {
                    Owner::Inherent(t) | Owner::TraitImpl { ty: t, .. } => t.clone(),
                    Owner::TraitDecl(t) => format!("dyn {t}"),
                    Owner::Free => String::new(),
                })
                .collect();
            let traits: BTreeSet<&str> = ids
                .iter()
                .filter_map(|&id| match &self.index.fns[id].owner {
                    Owner::TraitDecl(t) | Owner::TraitImpl { trait_: t, .. } => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            if owners.len() > 1 && traits.len() != 1 {
                self.report.note(
                    &self.file,
                    line,
                    format!(
                        "`.{name}(..)`: receiver type not seen, resolved by name to every `{name}` of the crate ({})",
                        owners.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        let args = call.args.len();
        let bool_arg = call
            .args
            .first()
            .is_some_and(|a| matches!(a, Expr::Lit(l) if matches!(l.lit, syn::Lit::Bool(_))));
        let green = if mirror::BLOCKING_METHODS.contains(&name.as_str()) {
            // `OpenOptions::read(true)` is a builder setter.
            !bool_arg
        } else if mirror::BLOCKING_WITHOUT_ARGUMENTS.contains(&name.as_str()) {
            args == 0
        } else if mirror::BLOCKING_WITH_ARGUMENTS.contains(&name.as_str()) {
            args > 0
        } else if mirror::READER_ITERATORS.contains(&name.as_str()) {
            match &receiver {
                Some(t) if TEXT_TYPES.contains(&t.as_str()) => false,
                Some(t) if READER_TYPES.contains(&t.as_str()) => true,
                // A reader's `lines()` is the common case; `split` and
                // `bytes` are a string's far more often.
                _ => name == "lines",
            }
        } else if let Some((_, types)) = mirror::BLOCKING_ON_TYPES.iter().find(|(n, _)| *n == name)
        {
            receiver
                .as_ref()
                .is_some_and(|t| types.contains(&t.as_str()))
        } else {
            false
        };
        if green {
            self.blocking(format!("calls .{name}()"), line);
        }
    }

    fn for_receiver(&mut self, expr: &Expr, line: usize) {
        let ty = self.type_of(expr);
        if let Some(ty) =
            ty.filter(|t| matches!(t.as_str(), "Receiver" | "Incoming" | "Lines" | "ReadDir"))
        {
            self.blocking(format!("iterates a {ty}"), line);
        }
    }
}

impl<'ast> Visit<'ast> for Read<'_> {
    fn visit_item(&mut self, _: &'ast Item) {
        // Nested items are their own nodes (or not read: see the docs).
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (Some(init), syn::Pat::Ident(name)) = (&local.init, &local.pat) {
            if matches!(*init.expr, Expr::Closure(_)) {
                self.closures.insert(name.ident.to_string());
            }
        }
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
            let ty = self.type_of(&init.expr);
            self.bind_channel(&local.pat, &init.expr);
            if !matches!(local.pat, syn::Pat::Tuple(_)) {
                self.bind(&local.pat, ty);
            }
        } else {
            self.bind(&local.pat, None);
        }
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        for input in &closure.inputs {
            self.bind(input, None);
            if let syn::Pat::Ident(i) = input {
                self.params.insert(i.ident.to_string());
            }
        }
        visit::visit_expr_closure(self, closure);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            self.call_path(call, p, p.span().start().line);
        } else {
            self.visit_expr(&call.func);
        }
        for arg in &call.args {
            self.visit_expr(arg);
        }
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        // A fn named without being called: passed as a value.
        if let Resolved::Crate(ids) = self.resolve(path, true) {
            let line = path.span().start().line;
            self.values.extend(ids.iter().map(|&id| (id, line)));
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.call_method(call, call.method.span().start().line);
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_for_loop(&mut self, for_loop: &'ast syn::ExprForLoop) {
        self.for_receiver(&for_loop.expr, for_loop.for_token.span.start().line);
        visit::visit_expr_for_loop(self, for_loop);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let line = mac.path.span().start().line;
        if mirror::BLOCKING_MACROS.contains(&name.as_str()) {
            self.blocking(format!("{name}!(..) writes"), line);
        }
        if !mirror::ARGUMENT_MACROS.contains(&name.as_str()) {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = mac.parse_body_with(parser) {
            for arg in &args {
                self.visit_expr(arg);
            }
        }
    }
}

/// Builds the graph of the crate and runs the fixpoint.
pub(crate) fn infer(krate: &Crate, report: &mut Report) -> Graph {
    let mut index = Index {
        lib_root: krate.lib_root,
        ..Index::default()
    };
    let mut bodies: Vec<(usize, Vec<Body<'_>>)> = Vec::new();
    let lib_name = krate.lib_name.as_deref();
    for (u, unit) in krate.units.iter().enumerate() {
        let mut unit_bodies = Vec::new();
        let mut collect = Collect {
            index: &mut index,
            unit: u,
            root: unit.root,
            file: &unit.source,
            module: unit.module.clone(),
            lib_name,
            bodies: &mut unit_bodies,
        };
        collect.items(&unit.ast.items);
        bodies.push((u, unit_bodies));
    }
    let mut results = Vec::new();
    for (u, unit_bodies) in &bodies {
        let unit = &krate.units[*u];
        for body in unit_bodies {
            let node = &index.fns[body.id];
            let mut read = Read {
                index: &index,
                lib_name,
                file: unit.source.display.clone(),
                root: unit.root,
                module: node.module.clone(),
                self_ty: body.self_ty.clone(),
                locals: HashMap::new(),
                params: BTreeSet::new(),
                direct: None,
                calls: Vec::new(),
                values: Vec::new(),
                closures: BTreeSet::new(),
                bound: Bindings::of(body.block),
                report: &mut *report,
            };
            for input in &body.inputs {
                if let syn::FnArg::Typed(t) = input {
                    read.bind(&t.pat, type_head(&t.ty));
                    if let syn::Pat::Ident(i) = &*t.pat {
                        read.params.insert(i.ident.to_string());
                    }
                }
            }
            read.visit_block(body.block);
            results.push((body.id, read.direct, read.calls, read.values));
        }
    }
    for (id, direct, calls, values) in results {
        index.fns[id].direct = direct;
        index.fns[id].calls = calls;
        index.fns[id].values = values;
    }
    fixpoint(index.fns, index.lib_root)
}

/// The crate's traits' methods, grouped: (root declaring the trait, trait,
/// method) -> the declaration and every impl. An impl in a bin of a trait
/// the library declares joins the library's group; a trait of another
/// crate (no declaration here) has no group.
fn trait_groups(
    fns: &[FnNode],
    lib_root: Option<usize>,
) -> BTreeMap<(usize, String, String), Vec<usize>> {
    let declared: BTreeSet<(usize, &str)> = fns
        .iter()
        .filter_map(|f| match &f.owner {
            Owner::TraitDecl(t) => Some((f.root, t.as_str())),
            _ => None,
        })
        .collect();
    let mut groups: BTreeMap<(usize, String, String), Vec<usize>> = BTreeMap::new();
    for (id, f) in fns.iter().enumerate() {
        let trait_ = match &f.owner {
            Owner::TraitDecl(t) | Owner::TraitImpl { trait_: t, .. } => t,
            _ => continue,
        };
        let root = if declared.contains(&(f.root, trait_.as_str())) {
            f.root
        } else {
            match lib_root {
                Some(lib) if declared.contains(&(lib, trait_.as_str())) => lib,
                _ => continue,
            }
        };
        groups
            .entry((root, trait_.clone(), f.name.clone()))
            .or_default()
            .push(id);
    }
    groups
}

fn fixpoint(fns: Vec<FnNode>, lib_root: Option<usize>) -> Graph {
    let groups = trait_groups(&fns, lib_root);
    let n = fns.len();
    let mut green = vec![false; n];
    let mut why: Vec<Option<(String, usize)>> = vec![None; n];
    for (id, f) in fns.iter().enumerate() {
        if let Some(d) = &f.direct {
            green[id] = true;
            why[id] = Some(d.clone());
        } else if f.existing == Existing::Green {
            // Marked by hand (a crate ported in part): its callers wait on it.
            green[id] = true;
            why[id] = Some(("is #[green] already".into(), f.line));
        }
    }
    let names: Vec<String> = fns
        .iter()
        .map(|f| match &f.owner {
            Owner::Free => f.name.clone(),
            Owner::Inherent(t) | Owner::TraitImpl { ty: t, .. } => format!("{t}::{}", f.name),
            Owner::TraitDecl(t) => format!("{t}::{}", f.name),
        })
        .collect();
    loop {
        let mut changed = false;
        for id in 0..n {
            if green[id] {
                continue;
            }
            if let Some(&(callee, line)) = fns[id].calls.iter().find(|(c, _)| green[*c]) {
                green[id] = true;
                why[id] = Some((format!("calls green {}", names[callee]), line));
                changed = true;
            }
        }
        // A trait method is green in every impl and its declaration once
        // one of them is: callers through `dyn` or generics see one signature.
        for ((_, trait_, _), ids) in &groups {
            if let Some(&source) = ids.iter().find(|&&id| green[id]) {
                for &id in ids {
                    if !green[id] {
                        green[id] = true;
                        why[id] = Some((
                            format!("{trait_}::{} is green in {}", fns[id].name, names[source]),
                            fns[source].line,
                        ));
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    Graph { fns, green, why }
}
