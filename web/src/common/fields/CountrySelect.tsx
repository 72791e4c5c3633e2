/** A country picked from a list by name (its ISO code is what the API gets); `first` lists some on top. */
import { type Country, countries } from './countries.ts';

export const CountryOptions = ({ first = [] }: { first?: readonly string[] }) => {
  const all = countries();
  const top = first.flatMap((code) => all.filter((country) => country.code === code));
  const option = (country: Country) => (
    <option key={country.code} value={country.code}>
      {country.name}
    </option>
  );
  return (
    <>
      <option value="">Choose a country</option>
      {top.length ? <optgroup label="Your locations">{top.map(option)}</optgroup> : null}
      <optgroup label="All countries">{all.map(option)}</optgroup>
    </>
  );
};
