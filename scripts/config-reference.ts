/**
 * `npm run docs:config` writes docs/configuration.md, the configuration reference, from the
 * `EnvironmentConfig` interface (environments/types.ts) and every interface it reaches (the
 * environments/config/*.ts sections, types from modules/): field, type or allowed values, required,
 * `@default` and the doc comment. `npm run docs:config -- --check` exits 1 when the file is stale;
 * __tests__/config-reference.test.ts does the same, so a field added without regenerating fails.
 *
 * General by construction: it follows the TypeScript types (with the compiler's checker), so a new
 * section or field needs no change here; only its doc comment and `@default`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
export const REFERENCE_FILE = path.join(ROOT, 'docs', 'configuration.md');

interface Row {
  readonly field: string;
  readonly type: string;
  readonly required: boolean;
  readonly default: string;
  readonly description: string;
}

interface Section {
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly rows: Row[];
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
const cell = (s: string) => oneLine(s).replace(/\|/g, '\\|');

function isProjectDeclaration(d: ts.Declaration): boolean {
  const file = d.getSourceFile().fileName;
  return !file.includes('/node_modules/') && !d.getSourceFile().isDeclarationFile;
}

class Generator {
  private readonly checker: ts.TypeChecker;
  readonly sections: Section[] = [];

  constructor(program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  /** Object types documented as their own section: interfaces and type literals written in this project. */
  private isSectionType(t: ts.Type): boolean {
    if (!(t.flags & ts.TypeFlags.Object) || this.checker.isArrayType(t) || t.getCallSignatures().length) return false;
    if ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped) return false;
    if (this.checker.getIndexInfosOfType(t).length) return false;
    const decls = t.getSymbol()?.getDeclarations() ?? [];
    return decls.length > 0 && decls.every((d) => (ts.isInterfaceDeclaration(d) || ts.isTypeLiteralNode(d)) && isProjectDeclaration(d));
  }

  private literals(t: ts.Type): string | undefined {
    if (!t.isUnion()) return t.isLiteral() ? JSON.stringify(t.value) : undefined;
    if (t.types.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) return 'boolean';
    if (!t.types.every((m) => m.isLiteral())) return undefined;
    return t.types.map((m) => JSON.stringify((m as ts.LiteralType).value)).join(' | ');
  }

  /** A type as the reference shows it; queues sections for nested objects. */
  private describe(t: ts.Type, at: string): string {
    const type = this.checker.getNonNullableType(t);
    if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
    const lit = this.literals(type);
    if (lit) return lit.includes('|') ? `one of ${lit}` : lit;
    if (this.checker.isArrayType(type)) {
      const el = this.checker.getTypeArguments(type as ts.TypeReference)[0];
      if (this.isSectionType(el)) {
        this.section(el, `${at}[]`);
        return `list of objects (see \`${at}[]\`)`;
      }
      const inner = this.describe(el, `${at}[]`);
      return inner.startsWith('one of ') ? `list of ${inner.slice(7)}` : `list of ${inner}`;
    }
    if (this.isSectionType(type)) {
      this.section(type, at);
      return `object (see \`${at}\`)`;
    }
    if (type.flags & ts.TypeFlags.Object) {
      const index = this.checker.getIndexInfosOfType(type)[0];
      if (index) return `map of ${this.checker.typeToString(index.keyType)} to ${this.describe(index.type, `${at}.*`)}`;
      const props = this.checker.getPropertiesOfType(type);
      if ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped && props.length) {
        const value = this.describe(this.checker.getTypeOfSymbol(props[0]), `${at}.*`);
        return `map from one of ${props.map((p) => JSON.stringify(p.getName())).join(' | ')} to ${value}`;
      }
    }
    return this.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType);
  }

  private docOf(symbol: ts.Symbol | undefined): { text: string; defaultValue: string } {
    if (!symbol) return { text: '', defaultValue: '' };
    const text = ts.displayPartsToString(symbol.getDocumentationComment(this.checker));
    const tag = symbol.getJsDocTags(this.checker).find((t) => t.name === 'default');
    return { text, defaultValue: tag ? ts.displayPartsToString(tag.text ?? []) : '' };
  }

  section(type: ts.Type, at: string, description?: string): void {
    if (this.sections.some((s) => s.path === at)) return;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol && !symbol.getName().startsWith('__') ? symbol.getName() : '';
    const s: Section = { path: at, title: name, description: description ?? this.docOf(symbol).text, rows: [] };
    this.sections.push(s);
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.getDeclarations()?.[0];
      const propType = decl ? this.checker.getTypeOfSymbolAtLocation(prop, decl) : this.checker.getTypeOfSymbol(prop);
      const field = at ? `${at}.${prop.getName()}` : prop.getName();
      const doc = this.docOf(prop);
      // An undocumented field holding a section reads its interface's doc comment.
      const nonNull = this.checker.getNonNullableType(propType);
      if (!doc.text && this.isSectionType(nonNull)) doc.text = this.docOf(nonNull.aliasSymbol ?? nonNull.getSymbol()).text;
      s.rows.push({
        field,
        type: this.describe(propType, field),
        required: !(prop.flags & ts.SymbolFlags.Optional),
        default: doc.defaultValue,
        description: doc.text,
      });
    }
  }
}

/** Collects the sections reachable from `interfaceName` in `entry`, the root section first. */
export function collectSections(entry: string, interfaceName: string, options: ts.CompilerOptions = {}): Section[] {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true, types: [], ...options });
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const checker = program.getTypeChecker();
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!decl) throw new Error(`${entry} declares no interface ${interfaceName}`);
  const g = new Generator(program);
  g.section(checker.getTypeAtLocation(decl.name), '');
  // Depth first, in declaration order: each nested section follows the section holding it.
  return g.sections;
}

export function renderReference(sections: Section[]): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` from environments/types.ts and environments/config/*.ts. Do not edit by hand: change the doc comments and regenerate. -->',
    '',
    'One `EnvironmentConfig` per environment (`environments/dev.ts`, `environments/prod.ts`). Field paths are',
    'dotted; `[]` marks the items of a list. The zod schema (`environments/schema.ts`) rejects unknown fields',
    'and wrong types; the constructs check how values relate and name the field in their error.',
  ];
  for (const s of sections) {
    out.push('', `## ${s.path ? `\`${s.path}\`` : 'Top level'}${s.title ? ` (${s.title})` : ''}`, '');
    if (s.description) out.push(oneLine(s.description), '');
    out.push('| Field | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |');
    for (const r of s.rows) {
      out.push(`| \`${r.field}\` | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.default) || (r.required ? '' : '—')} | ${cell(r.description)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The reference as it should be now. */
export function generateReference(root = ROOT): string {
  return renderReference(collectSections(path.join(root, 'environments', 'types.ts'), 'EnvironmentConfig'));
}

if (require.main === module) {
  const text = generateReference();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(REFERENCE_FILE) ? fs.readFileSync(REFERENCE_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), REFERENCE_FILE)} is out of date: run npm run docs:config`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), REFERENCE_FILE)} is up to date`);
  } else {
    fs.writeFileSync(REFERENCE_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), REFERENCE_FILE)}`);
  }
}
