/** Loading data for a screen: the value, the error, and a way to load again. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

/** The state of a load. */
export interface Async<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change; a stale answer (deps changed meanwhile) is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const id = ++run.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => {
        if (id === run.current) setState({ data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (id !== run.current) return;
        const error = err instanceof ApiError ? err : new ApiError({ type: 'urn:casn:console:error', title: 'Error', status: 0, detail: err instanceof Error ? err.message : String(err) });
        setState({ data: undefined, error, loading: false });
      },
    );
    // The caller lists what `load` depends on in `deps`.
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Sets the document title and moves focus to the screen's heading, so a screen reader announces the new screen. */
export function useScreen(title: string): (el: HTMLHeadingElement | null) => void {
  useEffect(() => {
    document.title = `${title} · CASN`;
  }, [title]);
  return useCallback((el: HTMLHeadingElement | null) => {
    el?.focus({ preventScroll: false });
  }, []);
}

/** A form's write in progress: busy while it runs, then the API's refusal or the result. */
export interface Submission<R> {
  readonly busy: boolean;
  readonly error: ApiError | undefined;
  readonly result: R | undefined;
  /** Clears the last outcome and runs `action`; on success keeps its result and calls `after`. An ApiError is kept as the error; any other error is thrown. */
  readonly submit: (action: () => Promise<R>, after?: (result: R) => void) => Promise<void>;
}

export function useSubmit<R>(): Submission<R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [result, setResult] = useState<R | undefined>(undefined);
  const submit = async (action: () => Promise<R>, after?: (result: R) => void): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const r = await action();
      setResult(r);
      after?.(r);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      else throw err;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, result, submit };
}
