import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';
import { createTopicsApi } from './create-topics';
import { deleteTopicsApi } from './delete-topics';
import { describeGroupsApi } from './describe-groups';
import { fetchApi } from './fetch';
import { findCoordinatorApi } from './find-coordinator';
import { heartbeatApi } from './heartbeat';
import { initProducerIdApi } from './init-producer-id';
import { joinGroupApi } from './join-group';
import { leaveGroupApi } from './leave-group';
import { listGroupsApi } from './list-groups';
import { listOffsetsApi } from './list-offsets';
import { metadataApi } from './metadata';
import { offsetCommitApi } from './offset-commit';
import { offsetFetchApi } from './offset-fetch';
import { produceApi } from './produce';
import { syncGroupApi } from './sync-group';

/** ApiVersions answers from the table it belongs to, so it is defined next to it. */
function apiVersionsApi(table: () => ApiDefinition[]): ApiDefinition {
  return {
    key: ApiKey.ApiVersions,
    name: 'ApiVersions',
    minVersion: 0,
    // v3+ is flexible (compact encodings, tagged fields), which this broker does not speak.
    maxVersion: 2,
    handle(_broker, { apiVersion: v }) {
      return writeApiVersions(table(), ErrorCode.NONE, v);
    },
  };
}

/** The ApiVersions body; also sent, in its v0 shape, to a client asking with a version we lack. */
export function writeApiVersions(apis: ApiDefinition[], error: number, version: number): Writer {
  const w = new Writer().int16(error);
  w.array(apis, (w, api) => w.int16(api.key).int16(api.minVersion).int16(api.maxVersion));
  if (version >= 1) w.int32(0);
  return w;
}

export function buildApiTable(defaultPartitions: number): Map<number, ApiDefinition> {
  const apis: ApiDefinition[] = [];
  apis.push(
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    offsetCommitApi,
    offsetFetchApi,
    findCoordinatorApi,
    joinGroupApi,
    heartbeatApi,
    leaveGroupApi,
    syncGroupApi,
    describeGroupsApi,
    listGroupsApi,
    apiVersionsApi(() => apis),
    createTopicsApi(defaultPartitions),
    deleteTopicsApi,
    initProducerIdApi,
  );
  return new Map(apis.map((a) => [a.key, a]));
}
