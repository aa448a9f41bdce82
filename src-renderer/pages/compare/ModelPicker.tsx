import { familyLabel } from '../../family-label';

/** Picks one of the two packs to compare; "" lets the backend choose. */
export function ModelPicker(props: { label: string; auto: string; packs: Array<{ id: string; family: string | null }>; value: string; onChange: (id: string) => void }) {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.auto}</option>
        {props.packs.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id} ({familyLabel(m.family)})
          </option>
        ))}
      </select>
    </label>
  );
}
