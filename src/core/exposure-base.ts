import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Checker } from './errors';
import { AccessPoint, DEFAULT_NAMESPACE, ExposureProps, IExposure } from './exposure';
import { dns1123LabelProblem } from './names';

const EXPOSURE_SYMBOL = Symbol.for('cdk8s-expose.Exposure');

/**
 * Base class of every exposure pattern: resolves the namespace once and carries the access
 * points that `AccessGuide` renders. Each pattern checks its props object first: a key that is
 * not one of its props (a misspelt `allowfrom`) is refused, never ignored.
 */
export abstract class Exposure extends Construct implements IExposure {
  /**
   * Return whether the given object is an exposure pattern of this library.
   */
  public static isExposure(x: any): x is Exposure {
    return x !== null && typeof x === 'object' && EXPOSURE_SYMBOL in x;
  }

  public abstract readonly accessPoints: AccessPoint[];
  public abstract readonly prerequisites: string[];
  public abstract readonly patternName: string;

  /**
   * The namespace of the created objects (the chart's, or `default`, when not set).
   */
  public readonly namespace: string;

  /**
   * The namespace to write into `metadata.namespace`: only what the user chose, so that an
   * unset namespace follows the chart (or `kubectl -n`).
   * @internal
   */
  protected readonly _metadataNamespace?: string;

  /** @internal */
  protected readonly _check: Checker;

  protected constructor(scope: Construct, id: string, props: ExposureProps, className: string) {
    super(scope, id);
    this._check = new Checker(this, className);
    // A JavaScript caller may pass no props at all: the pattern's own check of its props object
    // (`Checker.props`) then says so; the namespace is read without assuming one.
    const namespace = props !== null && typeof props === 'object' ? props.namespace : undefined;
    if (namespace !== undefined) {
      const problem = dns1123LabelProblem(namespace);
      if (problem) {
        this._check.fail('namespace', problem, namespace, 'Use the name of an existing namespace, e.g. "web".');
      }
    }
    this._metadataNamespace = namespace;
    this.namespace = namespace ?? Chart.of(this).namespace ?? DEFAULT_NAMESPACE;
  }

  /**
   * For a pattern whose props have no `namespace` (its objects' namespaces are decided otherwise,
   * as `why` says): a `namespace` a JavaScript caller passes anyway is refused with the reason,
   * before the generic unknown-key refusal.
   * @internal
   */
  protected _refuseNamespace(props: unknown, why: string, fix: string): void {
    const namespace = props !== null && typeof props === 'object' ? (props as ExposureProps).namespace : undefined;
    if (namespace !== undefined) this._check.fail('namespace', `does not apply: ${why}`, namespace, fix);
  }
}

// The brand `isExposure` looks for, on the prototype: every instance inherits it, and none has to
// define a property of its own (which would cost each construct a hidden-class transition).
Object.defineProperty(Exposure.prototype, EXPOSURE_SYMBOL, { value: true });
