/** The registry modules Runway pins, where their source lives, and the folder of the module inside that repository. */
export interface RegistryModule {
  readonly source: string;
  readonly version: string;
  readonly repository: string;
  /** Folder inside the repository ('' for the root module). */
  readonly path: string;
}

export const REGISTRY_MODULES: readonly RegistryModule[] = [
  {
    source: 'terraform-aws-modules/vpc/aws',
    version: '6.6.0',
    repository: 'terraform-aws-modules/terraform-aws-vpc',
    path: '',
  },
  {
    source: 'terraform-aws-modules/vpc/aws//modules/vpc-endpoints',
    version: '6.6.0',
    repository: 'terraform-aws-modules/terraform-aws-vpc',
    path: 'modules/vpc-endpoints',
  },
  {
    source: 'terraform-aws-modules/eks/aws',
    version: '21.19.0',
    repository: 'terraform-aws-modules/terraform-aws-eks',
    path: '',
  },
  {
    source: 'terraform-aws-modules/rds/aws',
    version: '7.2.0',
    repository: 'terraform-aws-modules/terraform-aws-rds',
    path: '',
  },
  {
    source: 'terraform-aws-modules/eks-pod-identity/aws',
    version: '2.8.1',
    repository: 'terraform-aws-modules/terraform-aws-eks-pod-identity',
    path: '',
  },
];
