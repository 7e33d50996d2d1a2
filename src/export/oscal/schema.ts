// A zod mirror of the OSCAL 1.1.2 assessment-results JSON schema, for the objects our export emits.
//
// Mirrors the definitions of NIST's oscal_assessment-results_schema.json, release v1.1.2
// ($id http://csrc.nist.gov/ns/oscal/1.1.2/oscal-ar-schema.json, JSON Schema draft-07):
//   assembly_oscal-ar_assessment-results, assembly_oscal-ar_import-ap, assembly_oscal-ar_result,
//   assembly_oscal-assessment-common_finding (and _finding-target with its status),
//   assembly_oscal-assessment-common_observation (with relevant-evidence),
//   assembly_oscal-assessment-common_reviewed-controls (control-selections) and
//   _select-control-by-id, assembly_oscal-metadata_metadata, _property, _link, and the
//   datatypes UUIDDatatype, DateTimeWithTimezoneDatatype, StringDatatype, TokenDatatype,
//   URIDatatype and URIReferenceDatatype.
// Every object is strict (additionalProperties: false), required keys and minItems: 1 arrays
// are as published. It is a subset: optional properties we never emit (parties, risks,
// origins, local-definitions, back-matter, ...) are left out, so it rejects them; anything it
// accepts, the published schema accepts. The date-time pattern is the published one without its
// fraction group, which the release escapes twice (usnistgov/OSCAL issue 1393) so that, applied
// literally, it matches no fractional second; our export writes whole seconds.
import { z } from 'zod';

/** UUIDDatatype: RFC 4122 version 4 or 5. */
export const UUID = z
  .string()
  .regex(
    /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/,
    'UUIDDatatype',
  );

const DATE =
  '(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|' +
  '(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))';
const ZONE =
  '(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))';

/** DateTimeWithTimezoneDatatype: a calendar-valid date, a time and a required zone. */
export const DateTimeWithTimezone = z
  .string()
  .regex(
    new RegExp(`^${DATE}T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])${ZONE}$`),
    'DateTimeWithTimezoneDatatype',
  );

/** StringDatatype: non-empty, no leading or trailing whitespace, no line break. */
export const OscalString = z.string().regex(/^\S(.*\S)?$/, 'StringDatatype');

/** TokenDatatype: an XML NCName. */
export const Token = z.string().regex(/^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u, 'TokenDatatype');

/** URIDatatype: an absolute URI. */
export const Uri = z.string().regex(/^[a-zA-Z][a-zA-Z0-9+\-.]+:.+$/, 'URIDatatype');

/** URIReferenceDatatype (format uri-reference): a URI or relative reference, no raw spaces. */
export const UriReference = z.string().refine((value) => {
  if (/[\s<>"{}|\\^`]/.test(value)) return false;
  try {
    new URL(value, 'http://base.invalid/dir/');
    return true;
  } catch {
    return false;
  }
}, 'URIReferenceDatatype');

const nonEmptyArray = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/** field remarks: markup-multiline, any string. */
const Remarks = z.string();

/** assembly_oscal-metadata_property */
export const Property = z.strictObject({
  name: Token,
  uuid: UUID.optional(),
  ns: Uri.optional(),
  value: OscalString,
  class: Token.optional(),
  group: Token.optional(),
  remarks: Remarks.optional(),
});

/** assembly_oscal-metadata_link; rel is anyOf token or the enum ["reference"]. */
export const Link = z.strictObject({
  href: UriReference,
  rel: z.union([z.enum(['reference']), Token]).optional(),
  'media-type': OscalString.optional(),
  'resource-fragment': OscalString.optional(),
  text: z.string().optional(),
});

const props = nonEmptyArray(Property).optional();
const links = nonEmptyArray(Link).optional();

/** assembly_oscal-metadata_metadata (the parts we emit). */
export const Metadata = z.strictObject({
  title: z.string(),
  published: DateTimeWithTimezone.optional(),
  'last-modified': DateTimeWithTimezone,
  version: OscalString,
  'oscal-version': OscalString,
  props,
  links,
  remarks: Remarks.optional(),
});

/** assembly_oscal-ar_import-ap */
export const ImportAp = z.strictObject({ href: UriReference, remarks: Remarks.optional() });

/** assembly_oscal-assessment-common_select-control-by-id */
export const SelectControlById = z.strictObject({
  'control-id': Token,
  'statement-ids': nonEmptyArray(Token).optional(),
});

/** reviewed-controls / control-selections item ("Assessed Controls"). */
export const ControlSelection = z.strictObject({
  description: z.string().optional(),
  props,
  links,
  'include-all': z.strictObject({}).optional(),
  'include-controls': nonEmptyArray(SelectControlById).optional(),
  'exclude-controls': nonEmptyArray(SelectControlById).optional(),
  remarks: Remarks.optional(),
});

/** assembly_oscal-assessment-common_reviewed-controls */
export const ReviewedControls = z.strictObject({
  description: z.string().optional(),
  props,
  links,
  'control-selections': nonEmptyArray(ControlSelection),
  remarks: Remarks.optional(),
});

/** observation / relevant-evidence item */
export const RelevantEvidence = z.strictObject({
  href: UriReference.optional(),
  description: z.string(),
  props,
  links,
  remarks: Remarks.optional(),
});

/** assembly_oscal-assessment-common_observation; methods and types are open enumerations (anyOf). */
export const Observation = z.strictObject({
  uuid: UUID,
  title: z.string().optional(),
  description: z.string(),
  props,
  links,
  methods: nonEmptyArray(
    z.union([z.enum(['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN']), OscalString]),
  ),
  types: nonEmptyArray(
    z.union([
      z.enum(['ssp-statement-issue', 'control-objective', 'mitigation', 'finding', 'historic']),
      Token,
    ]),
  ).optional(),
  'relevant-evidence': nonEmptyArray(RelevantEvidence).optional(),
  collected: DateTimeWithTimezone,
  expires: DateTimeWithTimezone.optional(),
  remarks: Remarks.optional(),
});

/** finding-target / status: state is a closed enumeration (allOf), reason an open one (anyOf). */
export const ObjectiveStatus = z.strictObject({
  state: z.enum(['satisfied', 'not-satisfied']),
  reason: z.union([z.enum(['pass', 'fail', 'other']), Token]).optional(),
  remarks: Remarks.optional(),
});

/** assembly_oscal-assessment-common_finding-target; type is a closed enumeration (allOf). */
export const FindingTarget = z.strictObject({
  type: z.enum(['statement-id', 'objective-id']),
  'target-id': Token,
  title: z.string().optional(),
  description: z.string().optional(),
  props,
  links,
  status: ObjectiveStatus,
  remarks: Remarks.optional(),
});

/** assembly_oscal-assessment-common_finding */
export const Finding = z.strictObject({
  uuid: UUID,
  title: z.string(),
  description: z.string(),
  props,
  links,
  target: FindingTarget,
  'implementation-statement-uuid': UUID.optional(),
  'related-observations': nonEmptyArray(z.strictObject({ 'observation-uuid': UUID })).optional(),
  'related-risks': nonEmptyArray(z.strictObject({ 'risk-uuid': UUID })).optional(),
  remarks: Remarks.optional(),
});

/** assembly_oscal-ar_result */
export const Result = z.strictObject({
  uuid: UUID,
  title: z.string(),
  description: z.string(),
  start: DateTimeWithTimezone,
  end: DateTimeWithTimezone.optional(),
  props,
  links,
  'reviewed-controls': ReviewedControls,
  observations: nonEmptyArray(Observation).optional(),
  findings: nonEmptyArray(Finding).optional(),
  remarks: Remarks.optional(),
});

/** assembly_oscal-ar_assessment-results */
export const AssessmentResults = z.strictObject({
  uuid: UUID,
  metadata: Metadata,
  'import-ap': ImportAp,
  results: nonEmptyArray(Result),
});

/** The document root: exactly one assessment-results, optionally a $schema directive. */
export const AssessmentResultsDocument = z.strictObject({
  $schema: UriReference.optional(),
  'assessment-results': AssessmentResults,
});
