// The files scripts/generate.mts writes before every build; the components check their shape.
declare module '@site/generated/*.json' {
  const value: unknown;
  export default value;
}
