import { useId, useState } from 'react';
import { useI18n } from '../i18n';

/**
 * Browser mode without a valid key (the browser was restarted, or the server printed a new link):
 * a place to paste the link instead of a dead page. The server checks it and sets the session cookie.
 */
export function ConnectPanel() {
  const { t } = useI18n();
  const id = useId();
  const [link, setLink] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <div className="page" data-testid="connect">
      <div className="card connect-card">
        <h1>{t('connect.title')}</h1>
        <p>{t('connect.body')}</p>
        <form
          className="connect-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!link.includes('token=') && !/^[A-Za-z0-9_-]{16,}$/.test(link.trim())) return setInvalid(true);
            // The server reads the key from the link, sets this browser's session and reloads the app
            // (or explains, on its own page, why the link does not work).
            location.assign(`/connect?link=${encodeURIComponent(link.trim())}`);
          }}
        >
          <label htmlFor={id}>{t('connect.label')}</label>
          <div className="row">
            <input
              id={id}
              type="text"
              value={link}
              onChange={(e) => {
                setLink(e.target.value);
                setInvalid(false);
              }}
              placeholder="http://127.0.0.1:7411/?token=…"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={invalid}
            />
            <button type="submit" className="primary">
              {t('connect.submit')}
            </button>
          </div>
          {invalid ? (
            <div className="notice error" role="alert">
              {t('connect.invalid')}
            </div>
          ) : null}
        </form>
      </div>
    </div>
  );
}
