import { Component, type ReactNode } from 'react';

interface Props {
  /** Translated message shown above the error text. */
  title: string;
  reloadLabel: string;
  children: ReactNode;
}

/** A page that throws while rendering shows what broke and a way out, instead of a blank window. */
export class ErrorBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="page">
        <div className="notice error" role="alert">
          <span>
            <strong>{this.props.title}</strong> {this.state.error.message}
          </span>
          <button type="button" onClick={() => location.reload()}>
            {this.props.reloadLabel}
          </button>
        </div>
      </div>
    );
  }
}
