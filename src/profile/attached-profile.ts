/**
 * Finding the `ClusterProfile` of a scope without loading the profile module: every Service
 * pattern asks for it (its node port range), and an App that attaches no profile, the common
 * case, never loads `cluster-profile` and its rule tables. Only the type is imported statically
 * (`import type`, erased from the JavaScript).
 */
import { IConstruct } from 'constructs';
import type { ClusterProfile } from './cluster-profile';

/** The id of the hidden child `ClusterProfile.applyTo` adds to its scope. */
export const PROFILE_ATTACHMENT_ID = 'cdk8s-expose.ClusterProfile';

/** The brand of that child (a `ProfileAttachment`, in cluster-profile.ts), on its prototype. */
export const PROFILE_ATTACHMENT = Symbol.for('cdk8s-expose.ProfileAttachment');

/** What the hidden child carries. */
interface ProfileAttachmentLike {
  readonly profile: ClusterProfile;
}

/** The profile attached to `scope` itself, if any. */
export function ownProfile(scope: IConstruct): ClusterProfile | undefined {
  const child = scope.node.tryFindChild(PROFILE_ATTACHMENT_ID);
  return child !== undefined && PROFILE_ATTACHMENT in child ? (child as unknown as ProfileAttachmentLike).profile : undefined;
}

/** The profile of `scope`: the one attached to it or to its nearest ancestor that has one. */
export function attachedProfile(scope: IConstruct): ClusterProfile | undefined {
  for (let current: IConstruct | undefined = scope; current; current = current.node.scope) {
    const profile = ownProfile(current);
    if (profile) return profile;
  }
  return undefined;
}

/** How messages name a profile: "the k3s profile", "the kubeadm (flannel) profile". */
export function describeProfile(profile: ClusterProfile): string {
  return `the ${profile.distribution}${profile.cni ? ` (${profile.cni})` : ''} profile`;
}
