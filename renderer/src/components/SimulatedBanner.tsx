/**
 * The unmissable mark of a demo: shown while the gateway runs simulated devices or any data on
 * screen came from a simulator. Fixed at the top, never dismissible.
 */
export function SimulatedBanner({ sources }: { sources: readonly string[] }) {
  if (sources.length === 0) return null;
  return (
    <div role="alert" className="simulated-banner">
      <strong>SIMULATED — not patient data</strong>
      <span className="simulated-sources">({sources.join(', ')})</span>
    </div>
  );
}
