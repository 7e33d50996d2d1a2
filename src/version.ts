// The tool's name and version, as written into every manifest.
export const TOOL_NAME = 'dora-evidence';
export const VERSION = '0.1.0';
