/**
 * Form fields with their labels, hints and errors (the error is part of the field's
 * accessible description), and the error summary at the top of a refused form, whose
 * links move focus to the field at fault.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError, FieldError } from '../api.ts';
import { ProblemAlert } from './problem.tsx';
import { useSession } from '../session.ts';

/** Errors by form field name, and those no field of the form owns. */
export interface FieldErrors {
  readonly byField: Readonly<Record<string, string>>;
  readonly unmatched: readonly FieldError[];
}

export const NO_ERRORS: FieldErrors = { byField: {}, unmatched: [] };

/**
 * Assigns a problem's errors to the form's fields: `body.twk` and `params.application` go to
 * the fields named `twk` and `application`; `aliases` renames others (e.g. applicationId → application).
 */
export function fieldErrorsOf(error: ApiError | undefined, fields: readonly string[], aliases: Readonly<Record<string, string>> = {}): FieldErrors {
  if (!error) return NO_ERRORS;
  const byField: Record<string, string> = {};
  const unmatched: FieldError[] = [];
  for (const e of error.problem.errors ?? []) {
    const bare = e.field.replace(/^(body|params|query)\./, '');
    const name = aliases[bare] ?? bare;
    if (fields.includes(name) && byField[name] === undefined) byField[name] = e.message;
    else unmatched.push(e);
  }
  return { byField, unmatched };
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

/** A labelled field: label, hint, error message, and the control with aria-describedby and aria-invalid set. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {children(describedBy, error !== undefined)}
    </div>
  );
}

interface TextFieldProps {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly inputMode?: 'numeric' | 'decimal' | 'text';
  readonly required?: boolean;
  readonly autoComplete?: string;
  readonly width?: 'short' | 'medium' | 'long';
  readonly step?: string;
}

/** A labelled text input. */
export function TextField(p: TextFieldProps) {
  return (
    <Field id={p.id} label={p.label} {...(p.hint ? { hint: p.hint } : {})} error={p.error}>
      {(describedBy, invalid) => (
        <input
          id={p.id}
          name={p.name}
          class={`input input-${p.width ?? 'medium'}`}
          type="text"
          value={p.value}
          onInput={(e) => p.onInput(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          required={p.required}
          inputMode={p.inputMode}
          autoComplete={p.autoComplete ?? 'off'}
          spellcheck={false}
          step={p.step}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly options: readonly { value: string; label: string }[];
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  readonly error?: string | undefined;
}

/** A labelled select. */
export function SelectField(p: SelectFieldProps) {
  return (
    <Field id={p.id} label={p.label} {...(p.hint ? { hint: p.hint } : {})} error={p.error}>
      {(describedBy, invalid) => (
        <select id={p.id} name={p.name} class="input" value={p.value} onChange={(e) => p.onChange(e.currentTarget.value)} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
          {p.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface RadioGroupProps {
  readonly name: string;
  readonly legend: string;
  readonly value: string;
  readonly options: readonly { value: string; label: string; hint?: string }[];
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
}

/** A fieldset of radio buttons (arrow keys move between them, as in every browser). */
export function RadioGroup(p: RadioGroupProps) {
  const errorId = `${p.name}-error`;
  return (
    <fieldset id={p.name} class={`field radios${p.error ? ' field-error' : ''}`} aria-describedby={p.error ? errorId : undefined}>
      <legend>{p.legend}</legend>
      {p.error ? (
        <p class="error-message" id={errorId}>
          {p.error}
        </p>
      ) : null}
      {p.options.map((o) => (
        <div class="radio" key={o.value}>
          <input type="radio" id={`${p.name}-${o.value}`} name={p.name} value={o.value} checked={p.value === o.value} onChange={() => p.onChange(o.value)} />
          <label for={`${p.name}-${o.value}`}>
            {o.label}
            {o.hint ? <span class="hint"> — {o.hint}</span> : null}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A list filter: a labelled select whose first option, "all", is the empty value. Uncontrolled: the form reads it on submit. */
export function FilterSelect({ name, label, value, options }: { name: string; label: string; value: string; options: readonly { value: string; label: string }[] }) {
  const { t } = useSession();
  return (
    <label>
      {label}
      <select name={name} class="input" value={value}>
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The errors of a refused form, first in the form; focused when it appears so the person hears it. */
export function ErrorSummary({ errors, labels, formId }: { errors: FieldErrors; labels: Readonly<Record<string, string>>; formId: string }) {
  const { t } = useSession();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors.byField);
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
  }, [errors]);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${formId}-summary-title`}>
      <h2 id={`${formId}-summary-title`}>{t('form.errorSummary')}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a
              href={`#${formId}-${field}`}
              onClick={(e) => {
                e.preventDefault();
                const el = document.getElementById(`${formId}-${field}`);
                const control = el?.matches('input, select, textarea') ? el : el?.querySelector<HTMLElement>('input, select, textarea');
                control?.focus();
              }}
            >
              {labels[field] ?? field}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The part of a refused form's problem that no field shows (a rule, a 403, a conflict). */
export function FormProblem({ error, errors }: { error: ApiError | undefined; errors: FieldErrors }) {
  if (!error) return null;
  const fieldsShown = Object.keys(errors.byField).length > 0;
  if (fieldsShown && errors.unmatched.length === 0) return null;
  return <ProblemAlert error={error} unmatched={errors.unmatched} />;
}
