/**
 * The Pexip Infinity management API objects this project manages, as data: each object's fields, their types and the
 * limits the API enforces. The client compares and writes only these fields, and the test fake (test/fakes/infinityApi.ts)
 * refuses any other, so a misspelt field fails a test instead of a live `apply`.
 * Objects live under /api/admin/configuration/v1/<object>/ (https://docs.pexip.com/api_manage/api_configuration.htm).
 */

/** The API's base path for configuration objects. */
export const CONFIG_PATH = "/api/admin/configuration/v1/";

export type ManagedType = "azure_tenant" | "teams_proxy" | "conference" | "gateway_routing_rule" | "scheduled_scaling";
/** Objects only looked up by name (a rule's or Virtual Reception's location), never written. */
export type LookupType = "system_location";
export type ObjectType = ManagedType | LookupType;

export type FieldKind = "string" | "integer" | "boolean" | "uri" | "aliases" | "list" | "date" | "time" | "timestamp";

export interface FieldSpec {
  kind: FieldKind;
  /** null is accepted (optional related objects, optional numbers). */
  nullable?: boolean;
  /** Computed by the server: refused on write. */
  readOnly?: boolean;
  /** Accepted on write, never returned (a secret such as the Event Hub connection string). */
  writeOnly?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** For `uri`: the object type the URI must point at. */
  ref?: ObjectType;
}

export interface ObjectSpec {
  /** The field that names the object (unique per type): what `?<field>=` filters and adoption match on. */
  nameField: "name" | "policy_name";
  /** Fields a POST must carry. */
  required: readonly string[];
  /** Whether a free-text description exists (where this project writes its ownership marker). */
  hasDescription: boolean;
  fields: Readonly<Record<string, FieldSpec>>;
}

const ro = (kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind, readOnly: true, ...extra });
const str = (maxLength: number, extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: "string", maxLength, ...extra });
const bool: FieldSpec = { kind: "boolean" };
const uri = (ref: ObjectType): FieldSpec => ({ kind: "uri", nullable: true, ref });
const common = { id: ro("integer"), resource_uri: ro("string") };

export const OBJECTS: Readonly<Record<ObjectType, ObjectSpec>> = {
  // pexip/go-infinity-sdk config/azure_tenant_model.go; limits from pexip/terraform-provider-infinity resource_infinity_azure_tenant.go
  azure_tenant: {
    nameField: "name",
    required: ["name", "tenant_id"],
    hasDescription: true,
    fields: { ...common, name: str(100), description: str(500), tenant_id: str(100) },
  },
  // pexip/go-infinity-sdk config/teams_proxy_model.go; limits and write-only queue from terraform-provider-infinity resource_infinity_teams_proxy.go
  teams_proxy: {
    nameField: "name",
    required: ["name", "address", "azure_tenant"],
    hasDescription: true,
    fields: {
      ...common,
      name: str(250),
      description: str(250),
      address: str(255),
      port: { kind: "integer", min: 1, max: 65535 },
      azure_tenant: { kind: "uri", ref: "azure_tenant" },
      eventhub_id: ro("string", { nullable: true }),
      min_number_of_instances: { kind: "integer", min: 0 },
      notifications_enabled: bool,
      notifications_queue: { kind: "string", nullable: true, writeOnly: true },
      updated: ro("timestamp", { nullable: true }),
    },
  },
  // pexip/go-infinity-sdk config/conference_model.go; choices and limits from terraform-provider-infinity resource_infinity_conference.go
  conference: {
    nameField: "name",
    required: ["name"],
    hasDescription: true,
    fields: {
      ...common,
      name: str(250),
      description: str(250),
      service_type: { kind: "string", choices: ["conference", "lecture", "two_stage_dialing", "test_call", "media_playback"] },
      two_stage_dial_type: { kind: "string", choices: ["regular", "mssip", "gms", "teams"] },
      aliases: { kind: "aliases" },
      teams_proxy: uri("teams_proxy"),
      system_location: uri("system_location"),
      ivr_theme: { kind: "uri", nullable: true },
      mssip_proxy: { kind: "uri", nullable: true },
      gms_access_token: { kind: "uri", nullable: true },
      tag: str(250),
      match_string: str(250),
      replace_string: str(250),
      post_match_string: str(250),
      post_replace_string: str(250),
      allow_guests: bool,
      automatic_participants: { kind: "list" },
      breakout_rooms: bool,
      call_type: { kind: "string" },
      creation_time: ro("timestamp"),
      crypto_mode: { kind: "string", nullable: true },
      denoise_enabled: bool,
      direct_media: { kind: "string" },
      direct_media_notification_duration: { kind: "integer" },
      enable_active_speaker_indication: bool,
      enable_chat: { kind: "string" },
      enable_overlay_text: bool,
      force_presenter_into_main: bool,
      guest_identity_provider_group: { kind: "uri", nullable: true },
      guest_pin: str(20),
      guest_view: { kind: "string", nullable: true },
      guests_can_present: bool,
      guests_can_see_guests: { kind: "string" },
      host_identity_provider_group: { kind: "uri", nullable: true },
      host_view: { kind: "string", nullable: true },
      live_captions_enabled: { kind: "string", choices: ["default", "yes", "no"] },
      max_callrate_in: { kind: "integer", nullable: true },
      max_callrate_out: { kind: "integer", nullable: true },
      max_pixels_per_second: { kind: "string", nullable: true },
      media_playlist: { kind: "uri", nullable: true },
      mute_all_guests: bool,
      non_idp_participants: { kind: "string" },
      on_completion: { kind: "string", nullable: true },
      participant_limit: { kind: "integer", nullable: true },
      pin: str(20),
      pinning_config: { kind: "uri", nullable: true },
      primary_owner_email_address: str(100),
      scheduled_conferences: ro("list"),
      scheduled_conferences_count: ro("integer"),
      softmute_enabled: bool,
      sync_tag: str(250),
    },
  },
  // pexip/go-infinity-sdk config/gateway_routing_rule_model.go; choices and limits from terraform-provider-infinity resource_infinity_gateway_routing_rule.go
  gateway_routing_rule: {
    nameField: "name",
    required: ["name", "priority", "match_string"],
    hasDescription: true,
    fields: {
      ...common,
      name: str(250),
      description: str(250),
      priority: { kind: "integer", min: 1, max: 200 },
      enable: bool,
      match_string: str(250),
      match_string_full: bool,
      replace_string: str(250),
      called_device_type: { kind: "string", choices: ["external", "registration", "mssip_conference_id", "mssip_server", "gms_conference", "teams_conference", "teams_user", "telehealth_profile"] },
      outgoing_protocol: { kind: "string", choices: ["h323", "mssip", "sip", "rtmp", "gms", "teams"] },
      call_type: { kind: "string", choices: ["audio", "video", "video-only", "auto"] },
      match_incoming_calls: bool,
      match_outgoing_calls: bool,
      match_incoming_sip: bool,
      match_incoming_h323: bool,
      match_incoming_mssip: bool,
      match_incoming_webrtc: bool,
      match_incoming_teams: bool,
      match_incoming_only_if_registered: bool,
      match_source_location: uri("system_location"),
      outgoing_location: uri("system_location"),
      sip_proxy: { kind: "uri", nullable: true },
      h323_gatekeeper: { kind: "uri", nullable: true },
      mssip_proxy: { kind: "uri", nullable: true },
      teams_proxy: uri("teams_proxy"),
      stun_server: { kind: "uri", nullable: true },
      turn_server: { kind: "uri", nullable: true },
      gms_access_token: { kind: "uri", nullable: true },
      telehealth_profile: { kind: "uri", nullable: true },
      ivr_theme: { kind: "uri", nullable: true },
      max_pixels_per_second: { kind: "string", nullable: true, choices: ["sd", "hd", "fullhd"] },
      max_callrate_in: { kind: "integer", nullable: true, min: 128, max: 8192 },
      max_callrate_out: { kind: "integer", nullable: true, min: 128, max: 8192 },
      crypto_mode: { kind: "string", nullable: true, choices: ["besteffort", "on", "off"] },
      denoise_audio: bool,
      live_captions_enabled: { kind: "string", choices: ["default", "yes", "no"] },
      external_participant_avatar_lookup: { kind: "string", nullable: true, choices: ["default", "yes", "no"] },
      treat_as_trusted: bool,
      tag: str(250),
      disabled_codecs: { kind: "list", nullable: true },
      creation_time: ro("timestamp"),
    },
  },
  // pexip/go-infinity-sdk config/scheduled_scaling_model.go; formats and limits from terraform-provider-infinity resource_infinity_scheduled_scaling.go
  scheduled_scaling: {
    nameField: "policy_name",
    required: ["policy_name", "policy_type", "resource_identifier", "start_date", "time_from", "time_to"],
    hasDescription: false,
    fields: {
      ...common,
      policy_name: str(100),
      policy_type: { kind: "string", choices: ["TeamsConnectorScaling"] },
      // The Teams Connector's name (teams_proxy.name), not its URI.
      resource_identifier: str(250),
      enabled: bool,
      instances_to_add: { kind: "integer", min: 0, max: 100 },
      minutes_in_advance: { kind: "integer", min: 0 },
      local_timezone: str(100),
      start_date: { kind: "date" },
      time_from: { kind: "time" },
      time_to: { kind: "time" },
      mon: bool,
      tue: bool,
      wed: bool,
      thu: bool,
      fri: bool,
      sat: bool,
      sun: bool,
      updated: ro("timestamp", { nullable: true }),
    },
  },
  // pexip/go-infinity-sdk config/system_location_model.go (only name and resource_uri are read here)
  system_location: {
    nameField: "name",
    required: ["name"],
    hasDescription: true,
    fields: { ...common, name: str(250), description: str(250), teams_proxy: uri("teams_proxy") },
  },
};

/** The list URI of a type. */
export function typePath(type: ObjectType): string {
  return `${CONFIG_PATH}${type}/`;
}

/** Whether `uri` is an object URI of `type` (`/api/admin/configuration/v1/<type>/<id>/`). */
export function isObjectUri(uri: unknown, type?: ObjectType): uri is string {
  if (typeof uri !== "string") return false;
  const m = /^\/api\/admin\/configuration\/v1\/([a-z_]+)\/(\d+)\/$/.exec(uri);
  return m !== null && (type === undefined || m[1] === type);
}

/** A reference to another desired object, by key: becomes that object's URI. */
export interface Ref {
  $ref: string;
}
/** A system location by name: becomes its URI (looked up, never written). */
export interface Lookup {
  $lookup: "system_location";
  name: string;
}
export const isRef = (v: unknown): v is Ref => typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as Ref).$ref === "string";
export const isLookup = (v: unknown): v is Lookup => typeof v === "object" && v !== null && !Array.isArray(v) && (v as Lookup).$lookup === "system_location";

