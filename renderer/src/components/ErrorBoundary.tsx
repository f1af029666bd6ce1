import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Keeps one failing panel from blanking the whole screen; says what failed. */
export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render(): ReactNode {
    if (this.state.error !== null)
      return (
        <section className="panel" role="alert">
          <h2>{this.props.name}</h2>
          <p className="note note-error">
            This panel stopped working: {this.state.error.message}. Reload the window to try again.
          </p>
        </section>
      );
    return this.props.children;
  }
}
