// The SQL editor: CodeMirror 6 with SQL highlighting and completion of the warehouse's tables and
// columns, Ctrl/Cmd+Enter to run. Loaded only when the console opens (it is not in the first bundle).
import type { EditorView } from '@codemirror/view';

export type SchemaMap = Record<string, string[]>;

export interface Editor {
  view: EditorView;
  getDoc(): string;
  setDoc(text: string): void;
  /** Inserts at the cursor (a table or column picked in the schema browser). */
  insert(text: string): void;
  setSchema(schema: SchemaMap): void;
  focus(): void;
  destroy(): void;
}

export async function createEditor(
  parent: HTMLElement,
  opts: { doc: string; schema: SchemaMap; label: string; onRun: () => void; onChange: (text: string) => void },
): Promise<Editor> {
  const [{ basicSetup, EditorView }, { sql, PostgreSQL }, { keymap }, { Compartment, Prec }] = await Promise.all([
    import('codemirror'),
    import('@codemirror/lang-sql'),
    import('@codemirror/view'),
    import('@codemirror/state'),
  ]);
  // DuckDB's SQL is closest to PostgreSQL's among the dialects lang-sql ships.
  const language = (schema: SchemaMap) => sql({ dialect: PostgreSQL, schema, upperCaseKeywords: false });
  const languageSlot = new Compartment();
  // On a phone or a narrow window long lines wrap, rather than hide beyond the screen's edge (the
  // width the console's one-column layout starts at).
  const narrow = window.matchMedia('(width <= 900px)');
  const wrapSlot = new Compartment();
  const wrapping = () => (narrow.matches ? EditorView.lineWrapping : []);
  const view = new EditorView({
    doc: opts.doc,
    parent,
    extensions: [
      basicSetup,
      languageSlot.of(language(opts.schema)),
      wrapSlot.of(wrapping()),
      Prec.highest(
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              opts.onRun();
              return true;
            },
          },
        ]),
      ),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) opts.onChange(u.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ 'aria-label': opts.label, 'data-testid': 'sql-editor' }),
      EditorView.theme({
        '&': { fontSize: '13px', height: '100%' },
        '.cm-scroller': { fontFamily: "'DejaVu Sans Mono', Menlo, Consolas, monospace" },
        '.cm-content': { minHeight: '160px' },
        '&.cm-focused': { outline: 'none' },
        // The completion icons are glyphs few CJK fonts carry; the labels say enough.
        '.cm-completionIcon': { display: 'none' },
      }),
    ],
  });
  const onWidth = () => view.dispatch({ effects: wrapSlot.reconfigure(wrapping()) });
  narrow.addEventListener('change', onWidth);
  return {
    view,
    getDoc: () => view.state.doc.toString(),
    setDoc: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    insert: (text) => {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
      view.focus();
    },
    setSchema: (schema) => view.dispatch({ effects: languageSlot.reconfigure(language(schema)) }),
    focus: () => view.focus(),
    destroy: () => {
      narrow.removeEventListener('change', onWidth);
      view.destroy();
    },
  };
}
