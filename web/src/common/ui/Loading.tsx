export const Loading = ({ what }: { what: string }) => (
  <p role="status" className="loading">
    Loading {what}…
  </p>
);
